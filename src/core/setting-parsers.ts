import { MAX_TIMER_DELAY_MS } from './long-timer.js';
import { invalidSetting } from './startup-error.js';

/**
 * Readers for settings given as environment variables, shared by the core's and every technology module's settings.
 * Each throws a StartupError naming the setting, its value and what is allowed.
 */

/** The setting's text; undefined when unset or empty (= the default). */
export function raw(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw invalidSetting(name, text, `an integer from ${min} to ${max}`);
  return value;
}

export const port = (env: NodeJS.ProcessEnv, name: string, fallback: number) => integer(env, name, fallback, 0, 65535);
export const milliseconds = (env: NodeJS.ProcessEnv, name: string, fallback: number) => integer(env, name, fallback, 1, MAX_TIMER_DELAY_MS);

export function oneOf(env: NodeJS.ProcessEnv, name: string, fallback: string, allowed: readonly string[]): string {
  const text = raw(env, name) ?? fallback;
  if (!allowed.includes(text)) throw invalidSetting(name, text, `one of ${allowed.join(', ')}`);
  return text;
}

/** A comma-separated list; blanks dropped. */
export function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function patterns(env: NodeJS.ProcessEnv, name: string): RegExp[] {
  return list(env, name).map((pattern) => {
    try {
      return new RegExp(pattern, 'u');
    } catch (error) {
      throw invalidSetting(name, pattern, `comma-separated regular expressions (${(error as Error).message})`);
    }
  });
}

export function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = raw(env, name);
  if (text !== undefined && !URL.canParse(text)) throw invalidSetting(name, text, 'an absolute URL such as http://host:8080/...');
  return text;
}
