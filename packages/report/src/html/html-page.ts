import { escapeHtml } from './html-escape.ts';
import { PAGE_STYLE } from './html-style.ts';

/**
 * The page around `main`: inline CSS, and a Content-Security-Policy that forbids loading anything
 * (no scripts, fonts or requests), so that the page reads the same offline, zipped or attached.
 */
export const htmlPage = (title: string, main: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
