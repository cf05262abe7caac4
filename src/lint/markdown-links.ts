import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One link of a Markdown file, with the line it is on (1-based). */
export interface MarkdownLink {
  target: string;
  line: number;
}

/** A link a clone of the repository cannot follow, and why. */
export interface BrokenLink extends MarkdownLink {
  file: string;
  reason: string;
}

/** Hosts that only exist on the writer's machine or network, never for a reader of the docs. */
const PRIVATE_HOST =
  /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\]|0\.0\.0\.0)|\.local$/;

/**
 * Inline links and images `[text](target "title")`, angle-bracket targets `[text](<a b.md>)` and
 * reference definitions `[label]: target`. Fenced code blocks and inline code are skipped: a link
 * shown as an example is not a link.
 */
export function extractLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((raw, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      return;
    }
    if (fence !== null) return;
    const line = raw.replace(/(`+)[^`]*?\1/g, '');
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(line);
    if (definition) links.push({ target: definition[1]!, line: index + 1 });
    for (const match of line.matchAll(/\]\(\s*(?:<([^>]*)>|([^)\s]+))/g)) {
      links.push({ target: (match[1] ?? match[2])!, line: index + 1 });
    }
  });
  return links;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings, numbered like GitHub's (`x`, `x-1`, …) when repeated. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug(heading[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Why `target`, linked from `file` (absolute), would not work in a clone at `root`; null if it does. */
export function linkProblem(root: string, file: string, target: string): string | null {
  if (/^https?:\/\//i.test(target)) {
    const host = new URL(target).hostname.toLowerCase();
    return PRIVATE_HOST.test(host) ? `${host} is not a public site` : null;
  }
  if (/^mailto:/i.test(target)) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target))
    return `a ${target.split(':')[0]}: link cannot be followed from a clone`;

  const [pathPart = '', fragment] = target.split('#', 2);
  const path = decodeURIComponent(pathPart.split('?')[0]!);
  const resolved =
    path === '' ? file : path.startsWith('/') ? join(root, path) : resolve(dirname(file), path);
  const inside = relative(root, resolved);
  if (inside === '..' || inside.startsWith(`..${sep}`)) return 'leaves the repository';
  if (!existsSync(resolved)) return `${inside} does not exist`;
  if (fragment && resolved.endsWith('.md') && statSync(resolved).isFile()) {
    if (!headingAnchors(readFileSync(resolved, 'utf8')).has(fragment.toLowerCase())) {
      return `${inside} has no heading #${fragment}`;
    }
  }
  return null;
}

/** The Markdown files of `dir` (relative to `root`), recursively or not. */
export function markdownFiles(root: string, dir: string, recursive: boolean): string[] {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return recursive ? markdownFiles(root, path, true) : [];
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Every link of `files` (relative to `root`) that a clone cannot follow. */
export function brokenLinks(root: string, files: string[]): BrokenLink[] {
  return files.flatMap((file) => {
    const absolute = join(root, file);
    return extractLinks(readFileSync(absolute, 'utf8')).flatMap((link) => {
      const reason = linkProblem(root, absolute, link.target);
      return reason ? [{ file, ...link, reason }] : [];
    });
  });
}
