/**
 * Whether the emulator's delivery applies a transformation parameter, for `imagekit url --explain`.
 * The table lives with the emulator's engine and is imported only when asked for: the quick bundle of
 * `imagekit url` keeps it external (see the build script), so building a URL never reads it. This file
 * sits two folders deep, as dist/cli/bundle/ does, so that the one import path holds from both.
 */
export async function emulatorSupport(): Promise<(code: string) => 'applied' | 'skipped'> {
  const { APPLIED } = await import('../../emulator/transform/applied.js');
  return (code) => (APPLIED.has(code) ? 'applied' : 'skipped');
}
