/**
 * `imagekit completion bash|zsh|fish`: a completion script generated from the command tree itself
 * (commands, subcommands, flags and their fixed values), so it stays right as commands are added.
 */
import type { Command, Option } from 'commander';
import type { Registrar } from './cli/command.js';
import { UsageError } from './cli/errors.js';
import { fullProgram } from './cli/main.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** One command of the tree, as completion needs it. */
interface Node {
  /** The words that lead to it: '' for the program, 'files ls' for a subcommand. */
  path: string;
  summary: string;
  subcommands: Node[];
  options: Array<{ long: string; short?: string; takesValue: boolean; choices?: readonly string[]; description: string }>;
}

function describe(command: Command, path: string, inherited: Node['options']): Node {
  const own = command.options.map((o: Option) => ({
    long: o.long!,
    short: o.short,
    takesValue: o.required || o.optional,
    choices: o.argChoices,
    description: o.description,
  }));
  const options = [...inherited, ...own, { long: '--help', short: '-h', takesValue: false, description: 'show help' }];
  return {
    path,
    summary: command.summary() || command.description().split('\n')[0]!,
    // Global options (those of the program) work after any command's name.
    subcommands: command.commands.map((sub) => describe(sub, path ? `${path} ${sub.name()}` : sub.name(), path ? inherited : own)),
    options,
  };
}

function flatten(node: Node): Node[] {
  return [node, ...node.subcommands.flatMap(flatten)];
}

const words = (items: readonly string[]) => items.join(' ');
const name = (node: Node) => node.path.split(' ').pop()!;

function bashScript(root: Node): string {
  const nodes = flatten(root);
  const cases = (body: (node: Node) => string) => nodes.map((n) => `    '${n.path}') echo '${body(n)}' ;;`).join('\n');
  const choiceCases = nodes
    .flatMap((n) => n.options.filter((o) => o.choices).flatMap((o) => [o.long, ...(o.short ? [o.short] : [])].map((flag) => `    '${n.path}:${flag}') echo '${words(o.choices!)}' ;;`)))
    .join('\n');
  return `# imagekit completion for bash (also loaded by the zsh script): made by \`imagekit completion bash\`
_imagekit_subcommands() {
  case "$1" in
${cases((n) => words(n.subcommands.map(name)))}
  esac
}
_imagekit_options() {
  case "$1" in
${cases((n) => words(n.options.flatMap((o) => [o.long, ...(o.short ? [o.short] : [])])))}
  esac
}
_imagekit_options_with_values() {
  case "$1" in
${cases((n) => words(n.options.filter((o) => o.takesValue).flatMap((o) => [o.long, ...(o.short ? [o.short] : [])])))}
  esac
}
_imagekit_choices() {
  case "$1:$2" in
${choiceCases}
  esac
}
_imagekit() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path='' word skip=0 i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $word == -* ]]; then
      [[ " $(_imagekit_options_with_values "$path") " == *" $word "* ]] && skip=1
      continue
    fi
    [[ " $(_imagekit_subcommands "$path") " == *" $word "* ]] && path=\${path:+$path }$word
  done
  local choices
  choices=$(_imagekit_choices "$path" "$prev")
  if [[ -n $choices ]]; then
    COMPREPLY=($(compgen -W "$choices" -- "$cur"))
  elif [[ " $(_imagekit_options_with_values "$path") " == *" $prev "* ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_imagekit_options "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_imagekit_subcommands "$path")" -- "$cur"))
    [[ \${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _imagekit imagekit
`;
}

function zshScript(root: Node): string {
  return `# imagekit completion for zsh: made by \`imagekit completion zsh\`; it runs the bash completion through bashcompinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(root)}`;
}

/** fish conditions name the words already typed: `files ls` is reached after `files`, then `ls`. */
function fishScript(root: Node): string {
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# imagekit completion for fish: made by `imagekit completion fish`', 'complete -c imagekit -f'];
  for (const node of flatten(root)) {
    const parts = node.path ? node.path.split(' ') : [];
    const siblings = node.subcommands.map(name);
    const reached = parts.map((p) => `__fish_seen_subcommand_from ${p}`);
    const notDeeper = siblings.length > 0 ? [`not __fish_seen_subcommand_from ${words(siblings)}`] : [];
    const at = node.path ? [...reached, ...notDeeper].join('; and ') : '__fish_use_subcommand';
    for (const sub of node.subcommands) lines.push(`complete -c imagekit -n ${quote(at)} -a ${name(sub)} -d ${quote(sub.summary)}`);
    // The program's own options work anywhere; a command's, once its words are typed.
    const here = node.path ? ` -n ${quote(reached.join('; and '))}` : '';
    for (const o of node.path ? node.options.filter((o) => !root.options.includes(o)) : node.options) {
      const flags = [`-l ${o.long.slice(2)}`, ...(o.short ? [`-s ${o.short.slice(1)}`] : [])].join(' ');
      const value = o.choices ? ` -x -a ${quote(words(o.choices))}` : o.takesValue ? ' -r -F' : '';
      lines.push(`complete -c imagekit${here} ${flags}${value} -d ${quote(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}

const EXAMPLES = `
Examples:
  $ imagekit completion bash > ~/.local/share/bash-completion/completions/imagekit
  $ imagekit completion zsh > "\${fpath[1]}/_imagekit"      # or: source <(imagekit completion zsh) in ~/.zshrc
  $ imagekit completion fish > ~/.config/fish/completions/imagekit.fish`;

export function register(program: Command, registrar: Registrar): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh, fish)')
    .argument('<shell>', `one of ${SHELLS.join(', ')}`)
    .addHelpText('after', EXAMPLES)
    .action(
      registrar.action<[string], object>(async ([shell], _flags, context) => {
        if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion is made for ${SHELLS.join(', ')}, not "${shell}"`);
        const tree = describe(await fullProgram({ io: context.io, action: () => async () => {} }), '', []);
        const script = shell === 'bash' ? bashScript(tree) : shell === 'zsh' ? zshScript(tree) : fishScript(tree);
        return { kind: 'text', text: script.replace(/\n$/, ''), json: { shell, script } };
      }),
    );
}
