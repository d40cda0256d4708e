/**
 * README's walkthroughs as steps a test runs: the shell commands of one section's sh blocks, continuation lines
 * joined, in order. Two kinds of comment speak to the test:
 * - before a command, "… until … shows {…}": the command is repeated until its output holds that JSON;
 * - after a command, "# → a … b … c": its output holds the fragments a, b and c in this order (`…` separates them).
 * A curl must answer a 2xx HTTP status and, when it carries one, a success X-M2M-RSC (1xxx or 2xxx).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

const README = new URL('../../../README.md', import.meta.url);
const UNTIL = /until .*?shows (\{.*?\})/;
const ANSWER = /^#\s*→\s*/;
const POLL_LIMIT_MS = 20_000;
const POLL_INTERVAL_MS = 200;

export interface Step {
  command: string;
  /** Output the command is repeated until it contains. */
  until?: string;
  /** Fragments its output holds, in this order. */
  answer?: string[];
}

/** The lines from `heading` to the next heading of its level or above (a `#` comment inside a code block is no heading). */
function sectionOf(readme: string, heading: string): string {
  const lines = readme.split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `README has a "${heading}" section`);
  const level = /^#+/.exec(heading)![0].length;
  let inCode = false;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('```')) inCode = !inCode;
    const headingLevel = /^(#+) /.exec(line)?.[1]!.length;
    if (!inCode && headingLevel !== undefined && headingLevel <= level) return lines.slice(start, index).join('\n');
  }
  return lines.slice(start).join('\n');
}

/** The steps of the sh blocks below `heading` (its subsections included) up to the next heading of its level or above. */
export function readmeSteps(heading: string): Step[] {
  const section = sectionOf(readFileSync(README, 'utf8'), heading);
  const steps: Step[] = [];
  for (const [, block] of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let until: string | undefined;
    for (const line of block.replace(/\\\n\s*/g, '').split('\n')) {
      const text = line.trim();
      if (text === '') continue;
      if (ANSWER.test(text)) {
        const previous = steps.at(-1);
        assert.ok(previous, `an answer comment follows a command: ${text}`);
        previous.answer = text.replace(ANSWER, '').split('…').map((fragment) => fragment.trim()).filter((fragment) => fragment !== '');
        continue;
      }
      if (text.startsWith('#')) {
        until = UNTIL.exec(text)?.[1] ?? until;
        continue;
      }
      steps.push({ command: text, until });
      until = undefined;
    }
  }
  return steps;
}

export function bash(script: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Status line and headers of the last response curl -i printed. */
export function lastResponseHead(output: string): { status: number; rsc?: number } {
  const heads = [...output.matchAll(/^HTTP\/[\d.]+ (\d{3})[^\n]*\n((?:[^\r\n]+\r?\n)*)/gm)];
  assert.ok(heads.length > 0, `curl -i printed a status line: ${output}`);
  const [, status, headers] = heads.at(-1)!;
  const rsc = /^x-m2m-rsc:\s*(\d+)/im.exec(headers)?.[1];
  return { status: Number(status), rsc: rsc === undefined ? undefined : Number(rsc) };
}

/** Where the first fragment not found (in order) is, or undefined when the output holds them all. */
function missingFragment(output: string, fragments: string[]): string | undefined {
  let from = 0;
  for (const fragment of fragments) {
    const at = output.indexOf(fragment, from);
    if (at < 0) return fragment;
    from = at + fragment.length;
  }
  return undefined;
}

/**
 * Runs a curl step's `script` (its command after the variable assignments seen so far) and checks its answer as the
 * module comment says; a step with `until` is repeated (within 20 s) until its output holds it. Resolves with the output.
 */
export async function runCurlStep(step: Step, script: string): Promise<string> {
  const { command, until, answer } = step;
  const deadline = Date.now() + POLL_LIMIT_MS;
  for (;;) {
    const { status, stdout, stderr } = await bash(script);
    assert.equal(status, 0, `${command}\n${stderr}`);
    const head = lastResponseHead(stdout);
    assert.ok(head.status >= 200 && head.status < 300, `${command}\nHTTP ${head.status}\n${stdout}`);
    if (head.rsc !== undefined) assert.ok(head.rsc >= 1000 && head.rsc < 3000, `${command}\nX-M2M-RSC ${head.rsc}\n${stdout}`);
    if (!until || stdout.includes(until)) {
      const missing = answer && missingFragment(stdout, answer);
      assert.equal(missing, undefined, `${command}\nthe answer README shows (${answer?.join(' … ')}) lacks ${missing}:\n${stdout}`);
      return stdout;
    }
    assert.ok(Date.now() < deadline, `${command}\nnever showed ${until} within ${POLL_LIMIT_MS} ms; last output:\n${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
