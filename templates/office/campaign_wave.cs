<?cs include:"macros.cs" ?><?cs set:Page.title = "Enrolling" ?><?cs set:Page.area = "office" ?>
<?cs # campaign_wave.cs: people of a filter being enrolled by the worker; followed
     in place by job.js (the same ids as a job's page), or by ?refresh=1. ?>
<?cs def:content() ?>
<p><a href="/office/campaign/members?id=<?cs var:url_escape(Page.camp.id) ?>">People in the campaign</a></p>
<h1>Enrolling in <?cs var:Page.camp.name ?></h1>
<dl class="facts">
  <dt>State</dt><dd id="job-state"><?cs if:Page.finished ?>Done<?cs else ?>Running<?cs /if ?></dd>
</dl>
<div class="progress"<?cs if:Page.live ?> data-job-live="<?cs var:Page.live ?>"<?cs /if ?>>
  <label for="job-progress">Progress</label>
  <progress id="job-progress" aria-describedby="job-progress-text"<?cs
    if:Page.total ?> max="<?cs var:Page.total ?>" value="<?cs var:Page.done ?>"<?cs /if ?>><?cs var:Page.progress ?></progress>
  <p id="job-progress-text" role="status" aria-live="polite"><?cs var:Page.progress ?></p>
</div><?cs
if:Page.finished ?>
<p class="lead">Everyone the filter found who may be sent campaign mail is in the campaign now; people already in it, or who cannot be mailed, were left as they were.</p><?cs
else ?>
<p class="hint"><?cs if:Page.refresh ?>This page shows the latest progress every <?cs var:Page.refresh ?> seconds (<a href="/office/campaign/wave?id=<?cs var:url_escape(Page.camp.id) ?>&amp;wave=<?cs var:url_escape(Page.wave) ?>&amp;refresh=0">stop refreshing</a>).<?cs elif:Page.live ?>This page shows the progress as it comes<noscript> when JavaScript is on. Without it: <a href="/office/campaign/wave?id=<?cs var:url_escape(Page.camp.id) ?>&amp;wave=<?cs var:url_escape(Page.wave) ?>&amp;refresh=1">reload it every <?cs var:Page.live ?> seconds</a></noscript>.<?cs else ?><a href="/office/campaign/wave?id=<?cs var:url_escape(Page.camp.id) ?>&amp;wave=<?cs var:url_escape(Page.wave) ?>&amp;refresh=0">See the latest progress</a>.<?cs /if ?> You can leave it: the enrolment carries on in the background.</p><?cs
if:Page.live ?>
<script src="/static/job.js" defer></script><?cs /if ?><?cs
/if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
