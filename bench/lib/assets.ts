/** Which files a built index.html loads before the app runs. Pure; tested in bench/assets.test.ts. */
export interface InitialAssets {
  js: string[];
  css: string[];
}

/** What index.html makes the browser fetch before the app runs: the entry module, preloads and stylesheets. */
export function initialAssets(html: string): InitialAssets {
  const js = new Set<string>();
  const css = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) js.add(match[1] as string);
  for (const match of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = match[0];
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (!href) continue;
    if (/\brel="modulepreload"/.test(tag)) js.add(href);
    if (/\brel="stylesheet"/.test(tag)) css.add(href);
  }
  return { js: [...js], css: [...css] };
}
