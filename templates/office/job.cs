<?cs include:"macros.cs" ?><?cs set:Page.title = "Job" ?><?cs set:Page.area = "office" ?>
<?cs # job.cs: one background job. While it runs, job.js follows it in place
     (Page.live); without scripts, ?refresh=1 reloads the page every
     Page.refresh seconds (layout.cs), which people ask for: a page that
     reloads itself unasked loses a screen reader's place (WCAG 2.2.1). ?>
<?cs def:content() ?>
<p><a href="/office/jobs">All jobs</a></p>
<h1><?cs var:Page.job.kind ?><?cs if:Page.job.title ?>: <?cs var:Page.job.title ?><?cs /if ?></h1>
<dl class="facts">
  <dt>State</dt><dd id="job-state" class="job-<?cs var:Page.job.state ?>"><?cs var:Page.job.state_label ?></dd><?cs
  if:Page.job.user_email ?>
  <dt>Started by</dt><dd><?cs var:Page.job.user_email ?></dd><?cs /if ?>
  <dt>Queued</dt><dd><?cs var:Page.job.created ?></dd><?cs
  if:Page.job.started ?>
  <dt>Started</dt><dd><?cs var:Page.job.started ?></dd><?cs /if ?><?cs
  if:Page.job.finished ?>
  <dt>Finished</dt><dd><?cs var:Page.job.finished ?></dd><?cs /if ?>
</dl>
<div class="progress"<?cs if:Page.live ?> data-job-live="<?cs var:Page.live ?>"<?cs /if ?>>
  <label for="job-progress">Progress</label>
  <progress id="job-progress" aria-describedby="job-progress-text"<?cs
    if:Page.job.total ?> max="<?cs var:Page.job.total ?>" value="<?cs var:Page.job.done ?>"<?cs /if ?>><?cs var:Page.job.progress ?></progress>
  <p id="job-progress-text" role="status" aria-live="polite"><?cs var:Page.job.progress ?></p>
</div><?cs
if:Page.job.summary ?>
<p class="lead"><?cs var:Page.job.summary ?></p><?cs /if ?><?cs
if:Page.job.download ?>
<p><a href="<?cs var:Page.job.download ?>" download><?cs var:Page.job.download_label ?></a></p><?cs /if ?><?cs
if:Page.job.error ?>
<div class="error-summary" role="alert" aria-labelledby="job-error-title">
  <h2 id="job-error-title">The job did not finish</h2>
  <p><?cs var:Page.job.error ?></p>
</div><?cs /if ?><?cs
if:Page.job.open ?>
<p class="hint"><?cs if:Page.refresh ?>This page shows the latest progress every <?cs var:Page.refresh ?> seconds (<a href="/office/job?id=<?cs var:url_escape(Page.job.id) ?>&amp;refresh=0">stop refreshing</a>).<?cs elif:Page.live ?>This page shows the progress as it comes<noscript> when JavaScript is on. Without it: <a href="/office/job?id=<?cs var:url_escape(Page.job.id) ?>&amp;refresh=1">reload it every <?cs var:Page.live ?> seconds</a>, or <a href="/office/job?id=<?cs var:url_escape(Page.job.id) ?>&amp;refresh=0">see the latest progress</a></noscript>.<?cs else ?>This page does not refresh itself: <a href="/office/job?id=<?cs var:url_escape(Page.job.id) ?>&amp;refresh=0">see the latest progress</a>, or <a href="/office/job?id=<?cs var:url_escape(Page.job.id) ?>">follow it as it goes</a>.<?cs /if ?> You can leave it: the job carries on, and the list of jobs leads back here.</p><?cs
if:Page.live ?>
<script src="/static/job.js" defer></script><?cs /if ?>
<form method="post" action="/office/job/cancel"><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.job.id ?>">
  <button type="submit" class="danger">Cancel</button>
</form><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
