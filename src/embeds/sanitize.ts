/**
 * The embed allowlist of DESIGN §8, as a token-level filter over htmlparser2.
 *
 * Why not sanitize-html (tested, 2.17.5): it re-serialises `<br>` as `<br />`, so 63 of the
 * 88 seed embeds changed; keeping entities such as `&mdash;` as written needs
 * `decodeEntities: false`, and in that mode its scheme check reads `&#106;avascript:` as a
 * relative URL and lets it through. Here the output is rebuilt from tokens: text keeps its
 * entities as written (with `<` and `>` escaped, so text can never become markup), allowed
 * tags are written back exactly as the seeds spell them, and every attribute value is
 * double-quoted with `"` escaped. An `href` is kept only when its raw value begins with a
 * literal `http://` or `https://`, so no entity or whitespace trick can change the scheme.
 */
import { createRequire } from 'node:module';

// Loaded on first use: only live embeds need the parser, and loading it costs a build's start-up.
const require = createRequire(import.meta.url);
let parserClass: typeof import('htmlparser2').Parser | undefined;
const Parser = () => {
  parserClass ??= (require('htmlparser2') as typeof import('htmlparser2')).Parser;
  return parserClass;
};

/** Widget scripts we accept, by exact `src`. */
export const WIDGET_SCRIPTS: ReadonlySet<string> = new Set([
  'https://platform.twitter.com/widgets.js',
  'https://platform.x.com/widgets.js',
  'https://embed.bsky.app/static/embed.js',
]);

const ALLOWED_TAGS: ReadonlySet<string> = new Set(['blockquote', 'p', 'a', 'br', 'script']);
const VOID_TAGS: ReadonlySet<string> = new Set(['br']);

/** Elements whose content is dropped with them, not unwrapped (code, foreign or raw content). */
const DROP_CONTENT: ReadonlySet<string> = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'textarea',
  'select',
  'title',
  'xmp',
  'plaintext',
  'head',
]);

const DATA_ATTRIBUTE = /^data-[a-z0-9][a-z0-9._-]*$/;

function allowedAttribute(tag: string, name: string, value: string): boolean {
  switch (tag) {
    case 'blockquote':
      return name === 'class' || name === 'lang' || name === 'dir' || DATA_ATTRIBUTE.test(name);
    case 'p':
      // X writes `<p lang="en" dir="ltr">`.
      return name === 'class' || name === 'lang' || name === 'dir';
    case 'a':
      return name === 'href' && /^https?:\/\//i.test(value);
    case 'script':
      return name === 'async' || name === 'src' || (name === 'charset' && /^utf-8$/i.test(value));
    default:
      return false;
  }
}

function quoteAttribute(value: string): string {
  return value.replace(/"/g, '&quot;');
}

function escapeText(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Frame {
  name: string;
  /** The tag was written to the output (so its end tag is too). */
  kept: boolean;
  /** Its content is dropped. */
  drops: boolean;
}

/**
 * Reduce embed HTML to the allowlist: `blockquote` (class, lang, dir, data-*), `p` (class,
 * lang, dir), `a` (http/https `href` only), `br`, and a provider widget `<script>` whose `src`
 * is exactly a known widget URL (async, src, charset only; never any inline code). Other tags
 * are removed, their text kept, except code-like elements (script, style, iframe, svg, …)
 * which go with their content. Comments and processing instructions are dropped. Entities
 * are preserved as written, so a well-formed oEmbed embed comes back byte for byte.
 */
export function sanitizeEmbed(html: string): string {
  let out = '';
  const stack: Frame[] = [];
  let dropDepth = 0;

  const parser = new (Parser())(
    {
      onopentag(name, attribs) {
        const frame: Frame = { name, kept: false, drops: DROP_CONTENT.has(name) };
        if (dropDepth === 0 && ALLOWED_TAGS.has(name)) {
          const isWidget = name === 'script' && WIDGET_SCRIPTS.has(attribs['src'] ?? '');
          if (name !== 'script' || isWidget) {
            frame.kept = true;
            out += `<${name}`;
            for (const [attr, value] of Object.entries(attribs)) {
              if (!allowedAttribute(name, attr, value)) continue;
              // `async` is boolean: write it bare, as the providers do.
              out += value === '' && attr === 'async' ? ` ${attr}` : ` ${attr}="${quoteAttribute(value)}"`;
            }
            out += '>';
          }
        }
        // Void elements too: htmlparser2 reports their end at once.
        stack.push(frame);
        if (frame.drops) dropDepth++;
      },
      onclosetag(name) {
        // htmlparser2 balances its callbacks (implied ends included); search down anyway so a
        // surprise cannot leave a dropped region open.
        let index = stack.length - 1;
        while (index >= 0 && stack[index]!.name !== name) index--;
        if (index < 0) return;
        const closing = stack.splice(index);
        for (let i = closing.length - 1; i >= 0; i--) {
          const frame = closing[i]!;
          if (frame.drops) dropDepth--;
          if (frame.kept && !VOID_TAGS.has(frame.name)) out += `</${frame.name}>`;
        }
      },
      ontext(text) {
        if (dropDepth === 0) out += escapeText(text);
      },
    },
    {
      decodeEntities: false,
      lowerCaseTags: true,
      lowerCaseAttributeNames: true,
      recognizeSelfClosing: false,
    },
  );
  parser.write(html);
  parser.end();
  return out;
}
