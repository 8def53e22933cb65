/*
 * The verifier page, progressively enhanced: without this script the form posts to the server
 * and the answer is a whole page. With it, the same form is posted with fetch, and the verdict
 * and report of the answer replace those on the page (the verdict box is an aria-live region);
 * a file can be chosen or dropped onto the text box, and pasting a credential verifies it at
 * once. All texts come from the page (data attributes), so translations stay on the server.
 */
/* global DOMParser, URLSearchParams, FormData */
(function () {
  'use strict';
  const MAX_FILE_BYTES = 2 * 1024 * 1024;
  const form = document.getElementById('verify-form');
  const input = document.getElementById('credential-input');
  const fileField = document.getElementById('file-field');
  const fileInput = document.getElementById('credential-file');
  const verdict = document.getElementById('verdict');
  const report = document.getElementById('report');
  if(!form || !input || !verdict || !report) {
    return;
  }
  fileField.hidden = false;

  function showMessage(text) {
    verdict.className = 'verdict verdict--warn';
    delete verdict.dataset.verdict;
    const paragraph = document.createElement('p');
    paragraph.className = 'verdict__text';
    paragraph.textContent = text;
    verdict.replaceChildren(paragraph);
    report.replaceChildren();
  }

  function showBusy() {
    verdict.className = 'verdict verdict--info';
    delete verdict.dataset.verdict;
    const paragraph = document.createElement('p');
    paragraph.className = 'verdict__text';
    paragraph.textContent = form.dataset.busy;
    verdict.replaceChildren(paragraph);
  }

  function showResult(html) {
    const answer = new DOMParser().parseFromString(html, 'text/html');
    const newVerdict = answer.getElementById('verdict');
    const newReport = answer.getElementById('report');
    if(!newVerdict || !newReport) {
      throw new Error('unexpected answer');
    }
    verdict.className = newVerdict.className;
    verdict.dataset.verdict = newVerdict.dataset.verdict || '';
    verdict.replaceChildren(...newVerdict.childNodes);
    report.replaceChildren(...newReport.childNodes);
    verdict.scrollIntoView({block: 'start'});
  }

  async function verify() {
    showBusy();
    report.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(form.action, {
        method: 'POST', body: new URLSearchParams(new FormData(form)),
        headers: {Accept: 'text/html'}, credentials: 'same-origin'
      });
      if(!response.ok) {
        throw new Error('status ' + response.status);
      }
      showResult(await response.text());
    } catch {
      showMessage(form.dataset.networkError);
    } finally {
      report.removeAttribute('aria-busy');
    }
  }

  async function verifyFile(file) {
    if(!file) {
      return;
    }
    if(file.size > MAX_FILE_BYTES) {
      showMessage(form.dataset.fileTooLarge);
      return;
    }
    try {
      input.value = await file.text();
    } catch {
      showMessage(form.dataset.fileUnreadable);
      return;
    }
    await verify();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    verify();
  });
  fileInput.addEventListener('change', function () {
    verifyFile(fileInput.files[0]);
  });
  input.addEventListener('paste', function () {
    // Once the pasted text is in the text box.
    setTimeout(function () {
      if(input.value.trim() !== '') {
        verify();
      }
    }, 0);
  });
  input.addEventListener('dragover', function (event) {
    if(event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files')) {
      event.preventDefault();
      input.classList.add('is-dragover');
    }
  });
  input.addEventListener('dragleave', function () {
    input.classList.remove('is-dragover');
  });
  input.addEventListener('drop', function (event) {
    input.classList.remove('is-dragover');
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if(file) {
      event.preventDefault();
      verifyFile(file);
    }
  });
})();
