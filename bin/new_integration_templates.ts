// The files `npm run new-integration` writes, for the three shapes people add: a message with a
// file to a webhook URL (`message`, the default), a row destination (`rows`), a per-user login
// (`login`). Each shape writes the class with placeholder declarations and one placeholder vendor
// call, an icon, a README, a test through the real app against a fake vendor (green as generated,
// red once the placeholder call is replaced) and the settings the suite-wide tests find beside it.
// No template skips the URL guard: the only URLs trusted are the operator's (configuration).
import { loginTemplate } from "./new_integration_login";
import { messageTemplate } from "./new_integration_message";
import { rowsTemplate } from "./new_integration_rows";

export interface Names {
  /** snake_case wire name. */
  name: string;
  /** PascalCase class name, ending in Integration. */
  className: string;
  label: string;
}

export const SHAPES = ["message", "rows", "login"] as const;
export type Shape = typeof SHAPES[number];

export interface Template {
  /** One sentence for the usage text and the README. */
  summary: string;
  integration(n: Names): string;
  test(n: Names): string;
  /** test/integrations/<name>_settings.ts: what the suite-wide tests need (test/helpers/suite_settings.ts). */
  settings(n: Names): string;
  readme(n: Names): string;
  /** The entry of src/integrations/index.ts's list, and what it imports. */
  registration(n: Names): { imports: string; entry: string };
  /** The placeholder vendor call: replacing `find` makes the generated test fail, naming `expected`. */
  placeholder: { find: string; replace: string; expected: string };
}

export const TEMPLATES: Record<Shape, Template> = {
  message: messageTemplate,
  rows: rowsTemplate,
  login: loginTemplate,
};

/**
 * Comment lines past `width` rewrapped (a long label or name makes them long), so the generated
 * files pass the linter's 120 columns whatever the name.
 */
export function wrapComments(source: string, width = 116): string {
  return source.split("\n").flatMap((line) => {
    if (line.length <= width) { return [line]; }
    const single = /^(\s*)\/\*\* (.*) \*\/$/.exec(line);
    const slashes = /^(\s*)\/\/ (.*)$/.exec(line);
    if (!single && !slashes) { return [line]; }
    const [indent, text] = [(single ?? slashes)![1], (single ?? slashes)![2]];
    const prefix = single ? `${indent} * ` : `${indent}// `;
    const lines: string[] = [];
    let current = "";
    for (const word of text.split(" ")) {
      if (current && prefix.length + current.length + 1 + word.length > width) {
        lines.push(prefix + current);
        current = word;
      } else {
        current = current ? `${current} ${word}` : word;
      }
    }
    lines.push(prefix + current);
    return single ? [`${indent}/**`, ...lines, `${indent} */`] : lines;
  }).join("\n");
}

/** SCREAMING_SNAKE prefix of the integration's variables (ACME_CRM for acme_crm). */
export function envPrefix(n: Names): string {
  return n.name.toUpperCase();
}

/** camelCase of the name, for the settings function (acmeCrm). */
export function camelName(n: Names): string {
  return n.name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function iconSvg(n: Names): string {
  const letter = n.label.trim().charAt(0).toUpperCase() || "?";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <!-- PLACEHOLDER icon: replace with the vendor's logo (as their brand guidelines allow). -->
  <rect width="64" height="64" rx="12" fill="#5f6b7a"/>
  <text x="32" y="43" font-family="Arial, Helvetica, sans-serif" font-size="32" font-weight="bold"
    fill="#ffffff" text-anchor="middle">${letter.replace(/[<&>"]/g, "?")}</text>
</svg>
`;
}

/** The README's common end: what its dry run checks, what the suite checks, and where the tests are. */
export function readmeTail(n: Names, dryRunChecks: string): string {
  return `
## Dry run

A dry run (the console's Dry run button, \`npm run send -- ${n.name} --dry-run\`, or an execute with
\`X-Hub-Dry-Run: true\`; [docs/dry_run.md](../../../docs/dry_run.md)) sends nothing and checks ${dryRunChecks}.
When you give the integration a dry run of its own (\`dryRun()\`, \`dryRunChecks\`), say here what it checks.

## Tests

- \`test/integrations/test_${n.name}.ts\`: through the real app against a fake ${n.label} on 127.0.0.1.
- \`test/integrations/${n.name}_settings.ts\`: what the suite-wide tests need (every Looker payload shape,
  broken vendors, log secrecy, private addresses typed into URL fields). See CONTRIBUTING.md.
`;
}
