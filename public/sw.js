// Thi Đua service worker: serves the app shell from the cache so the app opens
// with no network. scripts/post-build.mjs fills in the two placeholders below
// at every build; a new build therefore has a new cache name, and activating it
// deletes the old cache instead of serving a stale app.
const BUILD = "__THIDUA_BUILD__";
const PRECACHE = ["__THIDUA_PRECACHE__"];
const CACHE = `thidua-shell-${BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // cache: "reload" skips the HTTP cache, so the cache gets this build's files.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
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
