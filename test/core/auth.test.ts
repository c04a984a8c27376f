import { getAuthenticationParameters } from '../../src/auth.js';

describe('getAuthenticationParameters', () => {
  it('matches the SDKs\' vector', () => {
    expect(getAuthenticationParameters({ privateKey: 'private_key_test', token: 'your_token', expire: 1582269249 })).toEqual({
      token: 'your_token',
      expire: 1582269249,
      signature: 'e71bcd6031016b060d349d212e23e85c791decdd',
    });
  });

  it('needs a private key', () => {
    expect(() => getAuthenticationParameters({ privateKey: undefined })).toThrow(/private key/);
  });
});
