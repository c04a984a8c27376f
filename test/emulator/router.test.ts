// The emulator's router alone, without a server: how a method and path find a route and its params.
import { route, Router, type Route } from '../../emulator/server/router.js';

const answer = (name: string) => () => ({ status: 200, body: name });
/** Which route a method and path find (by the name its handler answers), and the params. */
const names = (router: Router<unknown>, method: string, path: string) => {
  const found = router.match(method, path);
  return found && { name: (found.route.handle({} as never, undefined) as { body: string }).body, params: found.params };
};

describe('the router', () => {
  const routes: Route<unknown>[] = [
    route('GET', '/v1/files', answer('list')),
    route('GET', '/v1/files/:fileId/details', answer('details')),
    route('*', '/v1/files/:fileId/details', answer('details, any method')),
    route(['GET', 'HEAD'], '/v1/files/:fileId/versions/:versionId', answer('version')),
    route('GET', '/v1/files/purge/:requestId', answer('purge status')),
    route('GET', '/v1/a.b', answer('dotted')),
    route(['GET', 'HEAD'], '/acme/*', answer('delivery')),
  ];
  const router = new Router(routes);

  it('matches the method and the whole path, and names the params', () => {
    expect(names(router, 'GET', '/v1/files')).toEqual({ name: 'list', params: {} });
    expect(names(router, 'GET', '/v1/files/')).toBeUndefined();
    expect(names(router, 'POST', '/v1/files')).toBeUndefined();
    expect(names(router, 'HEAD', '/v1/files/f1/versions/v2')).toEqual({ name: 'version', params: { fileId: 'f1', versionId: 'v2' } });
  });

  it('tries routes in order: the first match wins, and `*` takes any method', () => {
    expect(names(router, 'GET', '/v1/files/purge/details')?.name).toBe('details');
    expect(names(router, 'GET', '/v1/files/purge/r1')?.name).toBe('purge status');
    expect(names(router, 'PATCH', '/v1/files/f1/details')?.name).toBe('details, any method');
  });

  it('leaves params percent-encoded and never matches an empty segment', () => {
    expect(names(router, 'GET', '/v1/files/a%20b/details')?.params).toEqual({ fileId: 'a%20b' });
    expect(names(router, 'GET', '/v1/files//details')).toBeUndefined();
  });

  it('takes literal segments literally', () => {
    expect(names(router, 'GET', '/v1/a.b')?.name).toBe('dotted');
    expect(names(router, 'GET', '/v1/aXb')).toBeUndefined();
  });

  it('matches anything below a final `/*`, but not the folder itself', () => {
    expect(names(router, 'GET', '/acme/')?.name).toBe('delivery');
    expect(names(router, 'HEAD', '/acme/tr:w-10/a/b.png')?.name).toBe('delivery');
    expect(names(router, 'GET', '/acme')).toBeUndefined();
  });

  it('knows its paths whatever the method', () => {
    expect(router.hasPath('/v1/files')).toBe(true);
    expect(router.hasPath('/v1/folder')).toBe(false);
  });
});
