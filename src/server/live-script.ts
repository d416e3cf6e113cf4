/**
 * The dashboard's only script, served from `/assets/live.js`: it listens to the study's event stream (the
 * `data-events` URL of the `#live` element) and, when the study changed, re-fetches the page's live fragment
 * (`data-fragment` plus the page's own query: page, sort) and swaps it in, at most once per second. The
 * fragment is server-rendered and escaped like the page, so swapping its HTML adds nothing a page load would
 * not; `<template data-header="id">` in the fragment replaces the content of the page element with that id (a
 * header badge outside the fragment). A fragment marked `data-stale` (charts behind the counters) is fetched again a few seconds later. Plain
 * ES5, no build step, nothing fetched from elsewhere.
 */
export const LIVE_SCRIPT = `(function () {
  'use strict'
  var live = document.getElementById('live')
  var status = document.getElementById('live-status')
  if (!live || !window.EventSource || !window.fetch) return
  var MIN_GAP_MS = 1000
  var STALE_RETRY_MS = 3000
  var last = 0
  var timer = null
  var busy = false
  var again = false
  function show(text, cls) {
    if (!status) return
    status.textContent = text
    status.className = 'live ' + cls
  }
  function schedule() {
    if (timer !== null) return
    timer = setTimeout(function () {
      timer = null
      refresh()
    }, Math.max(0, MIN_GAP_MS - (Date.now() - last)))
  }
  function refresh() {
    if (busy) {
      again = true
      return
    }
    busy = true
    last = Date.now()
    fetch(live.dataset.fragment + window.location.search, { headers: { accept: 'text/html' } })
      .then(function (r) {
        if (r.status === 404) show('study deleted', 'off')
        if (!r.ok) return
        return r.text().then(function (html) {
          live.innerHTML = html
          // Parts of the header that change with the fragment (a trial's state): <template data-header="id">.
          var copies = live.querySelectorAll('template[data-header]')
          for (var i = 0; i < copies.length; i++) {
            var target = document.getElementById(copies[i].getAttribute('data-header'))
            if (target) target.innerHTML = copies[i].innerHTML
          }
          show('live', 'on')
          // The server sent charts older than the counters (a big study, rebuilt sparingly): ask again soon.
          if (live.querySelector('[data-stale]')) setTimeout(schedule, STALE_RETRY_MS)
        })
      })
      .catch(function () {
        show('offline', 'off')
      })
      .then(function () {
        busy = false
        if (again) {
          again = false
          schedule()
        }
      })
  }
  if (live.querySelector('[data-stale]')) setTimeout(schedule, STALE_RETRY_MS)
  var events = new EventSource(live.dataset.events + '?since=' + encodeURIComponent(live.dataset.version || '0'))
  events.addEventListener('change', schedule)
  events.addEventListener('gone', function () {
    show('study deleted', 'off')
    events.close()
  })
  events.onopen = function () {
    show('live', 'on')
  }
  events.onerror = function () {
    show('reconnecting…', 'off')
  }
})()
`
