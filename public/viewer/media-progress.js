// Progressive enhancement for the viewer page (viewer-resource.njk): tells Tessera how far through a video or
// recording the learner has got, each quarter of the way, and starts the player where they left off. The page
// works without it; completion is still the learner's "Mark as complete".
const media = document.querySelector('[data-qa="media"][data-progress]');
const token = document.querySelector('form input[name="_csrf"]');

if (media instanceof HTMLMediaElement && token instanceof HTMLInputElement) {
  const endpoint = media.dataset.progress;
  const start = Number(media.dataset.start);
  let reported = 0;

  if (start > 0) {
    media.addEventListener(
      'loadedmetadata',
      () => {
        if (start < media.duration) media.currentTime = start;
      },
      { once: true },
    );
  }

  const report = (percent) => {
    const body = new URLSearchParams({
      _csrf: token.value,
      percent: String(percent),
      position: String(Math.floor(media.currentTime)),
    });
    // Progress is a nicety: a failed report is tried again at the next quarter, never shown as an error.
    fetch(endpoint, { method: 'POST', body, credentials: 'same-origin' }).catch(() => undefined);
  };

  media.addEventListener('timeupdate', () => {
    if (!(media.duration > 0)) return;
    const quarter = Math.floor((media.currentTime / media.duration) * 4) * 25;
    if (quarter > reported) {
      reported = quarter;
      report(quarter);
    }
  });
  media.addEventListener('ended', () => {
    if (reported < 100) {
      reported = 100;
      report(100);
    }
  });
}
