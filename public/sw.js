// Thi Đua service worker: serves the app shell from the cache so the app opens
// with no network. scripts/post-build.mjs fills in the placeholders below at
// every build; a new build therefore has a new cache name, and activating it
// deletes the old cache instead of serving a stale app.
const BUILD = "__THIDUA_BUILD__";
// Files whose name carries their content hash (the wasm, its loader, the styles): a name
// never changes content, so the copy the page has just put in the HTTP cache is this build's.
const HASHED = ["__THIDUA_HASHED__"];
// Files without a hash (index.html, the manifest, the icons): fetched fresh from the server.
const FRESH = ["__THIDUA_FRESH__"];
const CACHE = `thidua-shell-${BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll([
          // The default cache mode takes a hashed file from the HTTP cache when the page
          // has loaded it, so a first visit downloads the app once, not twice.
          ...HASHED,
          // "reload" skips the HTTP cache: an unhashed file must be this build's.
          ...FRESH.map((url) => new Request(url, { cache: "reload" })),
        ]),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((key) => key.startsWith("thidua-shell-") && key !== CACHE).map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "build") event.source?.postMessage({ build: BUILD });
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // The API is never cached here: the app's sync module owns offline data.
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Any page of the single-page app is the shell; the router takes it from there.
    event.respondWith(caches.open(CACHE).then((cache) => cache.match("/index.html")).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(request)).then((hit) => hit || fetch(request)));
});
