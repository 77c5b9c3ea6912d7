// kohyo serve: keeps a preview page in step with the builds, without reloading it.
//
// The server sends an `update` event (server-sent events, /events) after every build. The
// page is then fetched again and what changed is swapped in: the contents of each element
// marked `data-live`, and each frame whose file changed (its `data-version`, the file's
// SHA-256) is reloaded where it was scrolled to. When the frames themselves differ (the first
// good build makes them appear), <main> is replaced whole. This script lives only in the
// preview's pages: the published outputs have none.
(() => {
  "use strict";
  const body = document.body;
  let generation = Number(body.dataset.generation || 0);
  const slug = body.dataset.slug || null;
  let queue = Promise.resolve();

  const reloadFrame = (frame, src) => {
    let x = 0;
    let y = 0;
    try {
      x = frame.contentWindow.scrollX;
      y = frame.contentWindow.scrollY;
    } catch (_) {
      // not loaded yet
    }
    frame.addEventListener(
      "load",
      () => {
        try {
          frame.contentWindow.scrollTo(x, y);
        } catch (_) {
          // nothing to restore
        }
      },
      { once: true },
    );
    frame.setAttribute("src", src);
  };

  const refresh = async () => {
    const response = await fetch(location.pathname, { cache: "no-store" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    generation = Math.max(generation, Number(fresh.body.dataset.generation || 0));
    body.dataset.generation = String(generation);
    document.title = fresh.title;
    const focused = document.activeElement && document.activeElement.id;
    if (fresh.body.dataset.frames !== body.dataset.frames) {
      body.dataset.frames = fresh.body.dataset.frames;
      document.querySelector("main").replaceWith(document.importNode(fresh.querySelector("main"), true));
    } else {
      for (const el of document.querySelectorAll("[data-live]")) {
        const next = fresh.getElementById(el.id);
        if (!next) continue;
        el.className = next.className;
        el.replaceChildren(...Array.from(next.childNodes, (n) => document.importNode(n, true)));
      }
      for (const frame of document.querySelectorAll("iframe[data-version]")) {
        const next = fresh.getElementById(frame.id);
        if (next && next.dataset.version !== frame.dataset.version) {
          frame.dataset.version = next.dataset.version;
          reloadFrame(frame, next.getAttribute("src"));
        }
      }
    }
    if (focused) {
      const again = document.getElementById(focused);
      if (again && again !== document.activeElement) again.focus();
    }
    body.dispatchEvent(new CustomEvent("kohyo:updated", { detail: { generation } }));
  };

  // A link to an item of the page shows it in the frame, and brings the frame into view.
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("a[data-show]");
    if (!link) return;
    const frame = document.getElementById(link.dataset.show);
    if (frame) frame.scrollIntoView({ block: "start" });
  });

  if (!window.EventSource) return;
  const source = new EventSource("/events");
  source.addEventListener("update", (e) => {
    let change;
    try {
      change = JSON.parse(e.data);
    } catch (_) {
      return;
    }
    if (!(change.generation > generation)) return;
    if (slug && change.slug && change.slug !== slug && change.generation === generation + 1) {
      // Another draft was rebuilt, and nothing of ours was missed.
      generation = change.generation;
      return;
    }
    queue = queue.then(refresh).catch(() => {});
  });
})();
