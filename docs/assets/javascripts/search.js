/* The site's search box (overrides/partials/search-box.html) over Pagefind's chunked index
   (built into pagefind/ by overrides/hooks/search_index.py).

   Nothing of the index is fetched until a reader focuses the search button or opens the
   dialog (click, / or s). Results show as the reader types; arrow keys move through them,
   Enter opens one, Escape closes. An opened result's page has the searched words marked. */
(() => {
  "use strict";

  // This file is assets/javascripts/search.js: the site's root is two folders up.
  const root = new URL("../../", document.currentScript.src);
  const PAGE = 8; // results shown at once
  const FIRST = 2; // of those, loaded while the reader may still be typing
  const SETTLED = 400; // ms without a key: the reader has stopped typing; load the rest
  const DELAY = 120; // ms of quiet typing before a search runs
  const HIGHLIGHT = "h"; // the query parameter that carries the searched words to a page

  let pagefind = null; // the loaded module, as a promise
  let timer = 0;
  let lastInput = -Infinity;
  let generation = 0; // the latest search; older answers are dropped
  let found = []; // this search's results (not yet loaded)
  let shown = 0;
  let words = "";

  const $ = (selector) => document.querySelector(selector);
  const dialog = () => $("dialog.bp-search");
  const input = () => $("#search-input");
  const tag = () => $("#search-tag");
  const status = () => $("#search-status");
  const list = () => $(".bp-search__results");
  const more = () => $("[data-search-more]");

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
        // No web worker: at this index's size a search takes milliseconds on the main thread,
        // and the worker's script (12 KB gzip) would be one more download before the first
        // results. A longer excerpt, as it is cut to start at a sentence (snippet below).
        await module.options({ baseUrl: root.pathname, excerptLength: 30, noWorker: true });
        await module.init();
        module.filters().then(fillTags); // the tag list; the first search need not wait for it
        return module;
      });
      pagefind.catch(() => {
        pagefind = null;
        say("Search could not load its index. Check the connection and try again.");
      });
    }
    return pagefind;
  }

  function fillTags(filters) {
    const select = tag();
    const counts = (filters && filters.tag) || {};
    for (const name of Object.keys(counts).sort((a, b) => a.localeCompare(b))) {
      if (select.querySelector(`option[value="${CSS.escape(name)}"]`)) continue;
      select.append(new Option(`#${name} (${counts[name]})`, name));
    }
  }

  function say(text) {
    status().textContent = text;
  }

  // The header's button says whether its dialog is open; the stylesheet hides it meanwhile.
  function expanded(value) {
    for (const button of document.querySelectorAll("[data-search-open]")) {
      button.setAttribute("aria-expanded", String(value));
    }
  }

  // The words of the page's address ("…/exit-plan/" is "exit plan"): what a reader was
  // looking for when a link led nowhere (404.html).
  function addressWords() {
    const last = decodeURIComponent(location.pathname).split("/").filter(Boolean).pop() || "";
    return last.replace(/\.html?$/, "").replace(/^\d{4}-\d{2}-\d{2}-/, "").split(/[-_.+\s]+/)
      .filter((word) => /\p{L}/u.test(word)).join(" ");
  }

  function open(from) {
    const box = dialog();
    if (!box || box.open) return;
    load();
    box.showModal();
    expanded(true);
    if (from && from.dataset.searchOpen === "address" && !input().value) {
      input().value = addressWords();
      if (input().value) run();
    }
    input().focus();
    input().select();
  }

  // The button shows again first: the dialog gives focus back to it as it closes.
  function close() {
    const box = dialog();
    if (!box || !box.open) return;
    expanded(false);
    box.close();
  }

  // The first keystroke (or a paste) after a pause searches at once; while the reader keeps
  // typing, the index chunks for the words so far are fetched and the search waits for a pause.
  function schedule() {
    const now = performance.now();
    const paused = now - lastInput > DELAY;
    lastInput = now;
    clearTimeout(timer);
    if (paused) {
      run();
      return;
    }
    timer = setTimeout(run, DELAY);
    const query = input().value.trim();
    if (query) load().then((module) => module.preload(query)).catch(() => {});
  }

  async function run() {
    const current = ++generation;
    const query = input().value.trim();
    const only = tag().value;
    if (!query && !only) {
      found = [];
      render([], true);
      say("Type to search posts and guides.");
      return;
    }
    say("Searching…");
    let module;
    try {
      module = await load();
    } catch {
      return;
    }
    const search = await module.search(query || null, only ? { filters: { tag: only } } : {});
    if (current !== generation) return;
    found = search.results;
    words = query;
    shown = 0;
    // Said as soon as the first results show, not once the whole page of them has loaded.
    const count = found.length;
    const what = count === 1 ? "1 result" : `${count} results`;
    const scope = only ? ` tagged #${only}` : "";
    await showMore(current, true, () => say(query ? `${what} for “${query}”${scope}.` : `${what}${scope}.`));
  }

  // Each result shows as soon as it and those above it have loaded: the first one need not
  // wait for the slowest of the page. Each result's text is a download of its own (about
  // 2 KB), and a search runs at nearly every key: until the reader stops typing, a search
  // loads only its first few results, and the rest once the typing stops, if it is still
  // the latest search by then.
  async function showMore(current = generation, fresh = false, onShown = () => {}) {
    const batch = found.slice(shown, shown + PAGE);
    shown += batch.length;
    if (!batch.length) {
      render([], fresh);
      onShown();
    }
    const pending = batch.slice(0, FIRST).map((result) => result.data());
    const rest = batch.slice(FIRST);
    for (let at = 0; at < batch.length; at++) {
      if (at === pending.length) {
        await paused();
        if (current !== generation) return;
        pending.push(...rest.map((result) => result.data()));
      }
      const page = await pending[at];
      if (current !== generation) return;
      render([page], fresh, at < batch.length - 1);
      if (!at) onShown();
      fresh = false;
    }
  }

  // Resolves once no key has been typed for SETTLED ms.
  async function paused() {
    for (let quiet = performance.now() - lastInput; quiet < SETTLED; quiet = performance.now() - lastInput) {
      await new Promise((resolve) => setTimeout(resolve, SETTLED - quiet));
    }
  }

  // One page at a time, so that the results stay in order.
  async function showNextPage() {
    more().disabled = true;
    try {
      await showMore();
    } finally {
      more().disabled = false;
    }
  }

  // "Show more" waits until the page of results above it is complete, so they stay in order.
  function render(data, fresh, loading = false) {
    const ol = list();
    if (fresh) ol.replaceChildren();
    for (const page of data) ol.append(item(page));
    more().hidden = loading || shown >= found.length;
  }

  // A link to a result that carries the searched words, so that the page can mark them.
  function target(url) {
    const link = new URL(url, location.href);
    if (words) link.searchParams.set(HIGHLIGHT, words);
    return link.pathname + link.search + link.hash;
  }

  function item(page) {
    const li = element("li", "bp-search__result");
    const title = element("a", "bp-search__link", page.meta.title || page.url);
    title.href = target(page.url);
    li.append(title);
    const tags = (page.filters && page.filters.tag) || [];
    if (page.meta.date || tags.length) {
      const meta = element("p", "bp-search__meta");
      if (page.meta.date) meta.append(element("span", "bp-search__date", page.meta.date));
      for (const name of tags) meta.append(element("span", "md-tag bp-search__tag-chip", `#${name}`));
      li.append(meta);
    }
    li.append(excerpt(page.excerpt, "p", "bp-search__excerpt"));
    // Sections other than the page's own title, which the result already links.
    const sections = (page.sub_results || [])
      .filter((sub) => sub.url.includes("#") && sub.title !== page.meta.title)
      .slice(0, 3);
    if (sections.length) {
      const ul = element("ul", "bp-search__sections");
      for (const sub of sections) {
        const entry = element("li", "bp-search__section");
        const link = element("a", "bp-search__link bp-search__link--section", sub.title);
        link.href = target(sub.url);
        entry.append(link, excerpt(sub.excerpt, "p", "bp-search__excerpt"));
        ul.append(entry);
      }
      li.append(ul);
    }
    return li;
  }

  function element(name, className, text) {
    const node = document.createElement(name);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Pagefind's excerpt is text with <mark> around the matches: keep exactly that, as nodes,
  // starting where a reader would: at the first sentence that begins before the first match
  // ("in. Decide…" reads "Decide…"), else at a word, marked as cut ("…the rest").
  function excerpt(html, name, className) {
    const parsed = document.createElement("template");
    parsed.innerHTML = html || "";
    const parts = [...parsed.content.childNodes].map((node) => [node.nodeName === "MARK", node.textContent]);
    const text = parts.map(([, part]) => part).join("");
    const first = parts.findIndex(([marked]) => marked);
    const before = parts.slice(0, first < 0 ? parts.length : first).reduce((n, [, part]) => n + part.length, 0);
    let skip = snippetStart(text, before);
    const out = element(name, className);
    if (!skip && !/^\s*[\p{Lu}\p{N}"“‘(]/u.test(text)) out.append("…");
    for (const [marked, part] of parts) {
      const kept = part.slice(Math.min(skip, part.length));
      skip = Math.max(0, skip - part.length);
      if (marked) out.append(element("mark", "", kept));
      else if (kept) out.append(document.createTextNode(kept));
    }
    if (text && !/[.!?:][)"”’]*\s*$/.test(text)) out.append("…");
    return out;
  }

  // Where the last sentence that starts at or before the first match begins (0 when none
  // does: the excerpt then starts at its first word).
  function snippetStart(text, before) {
    let start = 0;
    for (const match of text.matchAll(/[.!?][)"”’]*\s+(?=[\p{Lu}\p{N}"“‘(])/gu)) {
      const end = match.index + match[0].length;
      if (end > before) break;
      start = end;
    }
    return start;
  }

  // Arrow keys move between the input and the result links.
  function move(event) {
    const box = dialog();
    const stops = [input(), ...box.querySelectorAll(".bp-search__results a")];
    const at = stops.indexOf(document.activeElement);
    if (at < 0) return;
    const next = event.key === "ArrowDown" ? Math.min(at + 1, stops.length - 1) : Math.max(at - 1, 0);
    event.preventDefault();
    stops[next].focus();
  }

  // A field the reader is typing in. Not the field of a dialog that has just closed: focus
  // leaves it a moment after the dialog closes, and a key pressed meanwhile is not typing.
  function editable(node) {
    return node instanceof HTMLElement && !node.closest("dialog:not([open])")
      && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));
  }

  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-search-open]")) load();
  });

  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    if (event.target.closest("[data-search-open]")) open(event.target.closest("[data-search-open]"));
    else if (event.target.closest("[data-search-close]")) close();
    else if (event.target.closest("[data-search-more]")) showNextPage(); // not while disabled
    else if (event.target === dialog()) close(); // the backdrop
    else if (event.target.closest(".bp-search__results a")) close();
  });

  // However the dialog closes (Escape, a result, the close button), the header's button shows.
  document.addEventListener("close", (event) => {
    if (event.target === dialog()) expanded(false);
  }, true);

  document.addEventListener("input", (event) => {
    if (event.target === input()) schedule();
  });

  document.addEventListener("change", (event) => {
    if (event.target === tag()) run();
  });

  document.addEventListener("submit", (event) => {
    if (!event.target.matches("[data-search-form]")) return;
    event.preventDefault();
    const first = list().querySelector("a");
    if (first) first.click();
  });

  // Before Material's own shortcuts (window, bubbling), so that / and s open this box.
  window.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const box = dialog();
    if (!box) return;
    if (!box.open) {
      if ((event.key === "/" || event.key === "s") && !editable(event.target)) {
        event.preventDefault();
        event.stopPropagation();
        open();
      }
      return;
    }
    event.stopPropagation(); // the dialog has the keyboard
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      move(event);
    }
  }, true);

  // On a page opened from a result: mark the searched words in the article and the section
  // the link pointed to. Runs on each page, instant page changes included.
  function highlight() {
    const query = new URLSearchParams(location.search).get(HIGHLIGHT);
    const article = $("article.md-content__inner");
    if (!query || !article) return;
    const terms = query.toLowerCase().split(/\s+/).filter((word) => word.length > 1);
    if (!terms.length) return;
    const escaped = terms.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const pattern = new RegExp(`\\b(?:${escaped.join("|")})\\w*`, "gi");
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => node.parentElement.closest("script, style, mark, .headerlink")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const text = node.nodeValue;
      pattern.lastIndex = 0;
      if (!pattern.test(text)) continue;
      const parts = document.createDocumentFragment();
      let last = 0;
      text.replace(pattern, (match, offset) => {
        parts.append(text.slice(last, offset), element("mark", "bp-search-hit", match));
        last = offset + match.length;
        return match;
      });
      parts.append(text.slice(last));
      node.replaceWith(parts);
    }
    const id = decodeURIComponent(location.hash.slice(1));
    const section = id && document.getElementById(id);
    if (section) section.classList.add("bp-search-target");
  }

  if (window.document$) window.document$.subscribe(highlight);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", highlight);
  else highlight();
})();
