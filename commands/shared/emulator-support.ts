/**
 * Whether the emulator's delivery applies a transformation parameter, for `imagekit url --explain`.
 * The table lives with the emulator's engine and is imported only when asked for, so that building a
 * URL never runs it (the bundles carry it, as code that runs only for --explain).
 */
export async function emulatorSupport(): Promise<(code: string) => 'applied' | 'skipped'> {
  const { APPLIED } = await import('../../emulator/transform/applied.js');
  return (code) => (APPLIED.has(code) ? 'applied' : 'skipped');
}
