// The SCORM player page: puts scorm-again's API on this window (window.API for SCORM 1.2, window.API_1484_11 for
// SCORM 2004) with the SCO's saved data, and only then loads the SCO into the frame, so the SCO finds the API on
// window.parent. Every commit goes to Tessera at once (synchronously, as SCORM expects a commit to be done when it
// returns; as a beacon while the page unloads, when browsers refuse synchronous requests) with the page's CSRF token
// in the JSON body, where Tessera reads it for every POST. The server's answer says what Continue, Previous and the
// contents may do now, and whether the course is finished. Before leaving by a link on the page, the SCO's frame is
// emptied first so the SCO saves its last data, then its session is ended if the SCO did not end it.
(function () {
  'use strict';
  var dataElement = document.getElementById('player-data');
  var frame = document.getElementById('player-frame');
  if (!dataElement || !frame) return;
  var data = JSON.parse(dataElement.textContent || '{}');
  var is2004 = data.standard === '2004';
  var Api = is2004 ? window.Scorm2004API : window.Scorm12API;
  var failureCode = is2004 ? 391 : 101;
  var statusElement = document.getElementById('player-status');
  var errorBox = document.getElementById('player-save-error');
  var errorMessage = errorBox ? errorBox.querySelector('[data-qa="save-error-message"]') : null;
  var finished = data.status !== 'in_progress';
  var leaving = false;

  function showError(text) {
    if (!errorBox || !errorMessage) return;
    errorMessage.textContent = text;
    errorBox.hidden = false;
  }

  function clearError() {
    if (errorBox) errorBox.hidden = true;
  }

  if (typeof Api !== 'function') {
    showError('The course player could not start. Refresh the page to try again.');
    return;
  }

  function bodyOf(params, metadata) {
    var body = {};
    for (var key in params) {
      if (Object.prototype.hasOwnProperty.call(params, key)) body[key] = params[key];
    }
    body[data.csrfField] = data.csrfToken;
    body._session = data.session;
    body._sequence = metadata && typeof metadata.sequence === 'number' ? metadata.sequence : 0;
    body._terminate = Boolean(metadata && metadata.isTerminateCommit);
    return JSON.stringify(body);
  }

  function setHidden(element, hidden) {
    if (element) element.hidden = hidden;
  }

  function updateFlow(direction, option) {
    if (!option) return;
    setHidden(document.querySelector('[data-nav="' + direction + '"]'), !option.allowed);
    var reason = document.querySelector('[data-reason="' + direction + '"]');
    if (reason) {
      reason.textContent = option.reason || '';
      reason.hidden = !option.reason;
    }
  }

  function updateEntry(entry) {
    var item = document.querySelector('[data-qa="contents-item"][data-sco="' + CSS.escape(entry.id) + '"]');
    if (item && entry.launchable) {
      var link = item.querySelector(':scope > [data-qa="contents-link"]');
      var text = item.querySelector(':scope > [data-qa="contents-text"]');
      var status = item.querySelector(':scope > [data-qa="contents-status"]');
      var reason = item.querySelector(':scope > [data-qa="contents-reason"]');
      var open = entry.choosable || entry.current;
      setHidden(link, !open);
      setHidden(text, open);
      if (status) status.textContent = entry.current ? 'You are here' : entry.status;
      if (reason) {
        reason.textContent = entry.reason || '';
        reason.hidden = !entry.reason || entry.current;
      }
    }
    (entry.children || []).forEach(updateEntry);
  }

  function announce(attempt) {
    if (finished || !attempt || attempt.status === 'in_progress' || !statusElement) return;
    finished = true;
    statusElement.textContent =
      attempt.status === 'passed'
        ? 'You have passed this course. Your result is saved.'
        : attempt.status === 'completed'
          ? 'You have completed this course. Your result is saved.'
          : 'You did not pass this course this time. Your result is saved; you can start it again from its page.';
  }

  function answered(xhr) {
    var reply = null;
    try {
      reply = JSON.parse(xhr.responseText);
    } catch (error) {
      reply = null;
    }
    if (xhr.status >= 200 && xhr.status < 300) {
      clearError();
      if (reply && reply.navigation) {
        updateFlow('continue', reply.navigation.continue);
        updateFlow('previous', reply.navigation.previous);
        (reply.navigation.contents || []).forEach(updateEntry);
      }
      if (reply) announce(reply.attempt);
      return { result: 'true', errorCode: 0 };
    }
    showError(
      reply && reply.message
        ? reply.message
        : 'Tessera did not answer. Check your internet connection: the course keeps trying each time it saves.',
    );
    return { result: 'false', errorCode: failureCode };
  }

  // scorm-again's HTTP service, replaced so a commit can fall back to a beacon while the page unloads.
  var http = {
    processHttpRequest: function (url, params, immediate, apiLog, processListeners, metadata) {
      var body = bodyOf(params, metadata);
      var xhr = new XMLHttpRequest();
      try {
        xhr.open('POST', url, false);
        xhr.setRequestHeader('Content-Type', 'application/json');
        xhr.send(body);
      } catch (error) {
        var sent =
          typeof navigator.sendBeacon === 'function' &&
          navigator.sendBeacon(url, new Blob([body], { type: 'application/json' }));
        return { result: sent ? 'true' : 'false', errorCode: sent ? 0 : failureCode };
      }
      return answered(xhr);
    },
    updateSettings: function () {},
  };

  var api = new Api({
    lmsCommitUrl: data.commitUrl,
    autocommit: true,
    autocommitSeconds: 60,
    httpService: http,
  });
  try {
    api.loadFromFlattenedJSON(data.cmi);
  } catch (error) {
    showError('Your saved progress could not be loaded into the course. What you do now is still saved.');
  }
  if (is2004) window.API_1484_11 = api;
  else window.API = api;

  function endSession() {
    if (!api.isInitialized() || api.isTerminated()) return;
    if (is2004) api.Terminate('');
    else api.LMSFinish('');
  }

  // Empties the frame (the SCO saves as it unloads), ends the SCO's session if it is still open, then goes.
  function leaveFor(href) {
    if (leaving) return;
    leaving = true;
    var gone = false;
    function go() {
      if (gone) return;
      gone = true;
      endSession();
      window.location.assign(href);
    }
    frame.addEventListener('load', go, { once: true });
    window.setTimeout(go, 3000);
    frame.src = 'about:blank';
  }

  document.addEventListener('click', function (event) {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    var target = event.target;
    var link =
      target && target.closest ? target.closest('a[data-nav], a[data-qa="contents-link"], #player-exit') : null;
    if (!link) return;
    event.preventDefault();
    leaveFor(link.href);
  });

  if (is2004) {
    // A SCO may ask for navigation itself (adl.nav.request) before it terminates.
    api.on('SequenceNext', function () {
      leaveFor(data.attemptPath + '?nav=continue');
    });
    api.on('SequencePrevious', function () {
      leaveFor(data.attemptPath + '?nav=previous');
    });
    api.on('SequenceChoice', function (element, target) {
      var id = target || element;
      if (id) leaveFor(data.attemptPath + '?sco=' + encodeURIComponent(id));
    });
    api.on('SequenceExitAll', function () {
      leaveFor(data.exitUrl);
    });
  }

  // Leaving another way (the browser's back button, closing the tab): save what the SCO has so far.
  window.addEventListener('pagehide', function () {
    if (!leaving && api.isInitialized() && !api.isTerminated()) {
      if (is2004) api.Commit('');
      else api.LMSCommit('');
    }
  });

  frame.src = data.launchUrl;
})();
