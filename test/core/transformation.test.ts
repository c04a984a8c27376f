import { buildTransformationString, parseStepArgument, buildTransformationFromEntries, transformationCode } from '../../src/transformation.js';
import { InvalidInputError } from '../../src/errors.js';

describe('transformation names', () => {
  it.each([
    ['height', 'h'],
    ['aspect_ratio', 'ar'],
    ['aspectRatio', 'ar'],
    ['effect_sharpen', 'e-sharpen'],
    ['effectSharpen', 'e-sharpen'],
    ['effect_gray', 'e-grayscale'],
    ['effectUSM', 'e-usm'],
    ['rotate', 'rt'],
    ['Width', 'w'],
    ['ai_remove_background', 'e-bgremove'],
    ['aiRemoveBackground', 'e-bgremove'],
    ['rndm_trnsf', 'rndm_trnsf'],
  ])('%s is %s', (name, code) => expect(transformationCode(name)).toBe(code));
});

describe('buildTransformationString', () => {
  it('joins parameters with "," and steps with ":"', () => {
    expect(buildTransformationString([{ height: '300', width: '400' }, { rotation: 90 }])).toBe('h-300,w-400:rt-90');
  });

  it('passes unknown names through as name-value', () => {
    expect(buildTransformationString([{ rndm_trnsf: 'abcd', fake_xxxx: 400 }])).toBe('rndm_trnsf-abcd,fake_xxxx-400');
  });

  it('uses the bare code for "-" and for an empty value, for any name', () => {
    expect(buildTransformationString([{ effect_sharpen: '-', 'e-grayscale': '', width: '-' }])).toBe('e-sharpen,e-grayscale,w');
  });

  it('inserts raw as written, in place', () => {
    expect(buildTransformationString([{ width: 1, raw: 'l-text,i-a,l-end', height: 2 }])).toBe('w-1,l-text,i-a,l-end,h-2');
  });

  it('writes default_image and font_family paths with @@ and without outer slashes', () => {
    expect(buildTransformationString([{ defaultImage: '/folder/file.jpg/', font_family: 'fonts/a.ttf' }])).toBe('di-folder@@file.jpg,ff-fonts@@a.ttf');
  });

  it('joins streaming resolutions with "_"', () => {
    expect(buildTransformationString([{ streamingResolutions: ['240', '360'] }])).toBe('sr-240_360');
  });

  it('skips null values and empty steps, so no "::" appears', () => {
    expect(buildTransformationString([{ width: 100 }, null, {}, { height: 5, quality: null }])).toBe('w-100:h-5');
    expect(buildTransformationString([{}])).toBe('');
    expect(buildTransformationString(undefined)).toBe('');
  });

  it('accepts one step object without the array', () => {
    expect(buildTransformationString({ width: 5 })).toBe('w-5');
  });

  it('refuses values that are objects', () => {
    expect(() => buildTransformationString([{ width: { a: 1 } }])).toThrow(InvalidInputError);
  });
});

describe('parseStepArgument', () => {
  it('mixes SDK names and raw parameters, keeping their order', () => {
    const steps = [parseStepArgument('width=300,l-text,i-Hi,l-end,effect_contrast=-'), parseStepArgument(' rotation=90 ')];
    expect(buildTransformationFromEntries(steps)).toBe('w-300,l-text,i-Hi,l-end,e-contrast:rt-90');
  });

  it('keeps "=" inside a value', () => {
    expect(buildTransformationFromEntries([parseStepArgument('named=a=b')])).toBe('n-a=b');
  });

  it('refuses an empty step', () => {
    expect(() => parseStepArgument(' , ')).toThrow(InvalidInputError);
  });
});
