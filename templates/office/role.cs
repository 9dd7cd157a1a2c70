<?cs include:"macros.cs" ?><?cs include:"office/role_macros.cs" ?><?cs if:Page.role.title ?><?cs set:Page.title = Page.role.title ?><?cs else ?><?cs set:Page.title = "Role" ?><?cs /if ?><?cs set:Page.area = "office" ?>
<?cs # role.cs: one role: its details, state, pipeline counts, silver medallists and comments. ?>
<?cs def:content() ?>
<p><a href="<?cs if:Page.manager ?>/office/<?cs else ?>/office/roles<?cs /if ?>">All <?cs if:Page.manager ?>your <?cs /if ?>roles</a></p>
<h1><?cs var:Page.role.title ?></h1>
<?cs call:role_tabs("role") ?><?cs
if:Page.done ?>
<p class="notice" role="status"><?cs
  if:Page.done == "created" ?>The role is saved.<?cs if:Page.role.status == "draft" ?> It is a draft: open it when it is ready.<?cs /if ?> Its ranking shows who in the CRM fits it.<?cs
  elif:Page.done == "saved" ?>Your changes are saved; the ranking uses them now.<?cs
  elif:Page.done == "open" ?>The role is open: new people who fit it well are sent to its owner as alerts.<?cs
  elif:Page.done == "on_hold" ?>The role is on hold.<?cs
  elif:Page.done == "filled" ?>The role is filled. Those who reached the final stages and were not hired are now silver medallists: see the list below.<?cs
  elif:Page.done == "closed" ?>The role is closed. Those who reached the final stages and were not hired are now silver medallists: see the list below.<?cs
  elif:Page.done == "comment" ?>Your comment is added.<?cs
  elif:Page.done == "undone" ?>They are off the silver list, and their mark is undone.<?cs /if ?></p><?cs /if ?>
<?cs call:error_summary() ?>
<dl class="facts">
  <dt>Status</dt><dd id="role-status"><?cs call:role_status(Page.role.status) ?></dd><?cs
  if:Page.role.team ?><dt>Team</dt><dd><?cs var:Page.role.team ?></dd><?cs /if ?><?cs
  if:Page.role.family ?><dt>Job family</dt><dd><?cs if:Site.JobFamilies[Page.role.family] ?><?cs var:Site.JobFamilies[Page.role.family] ?><?cs else ?><?cs var:Page.role.family ?><?cs /if ?></dd><?cs /if ?>
  <dt>Where</dt><dd><?cs call:remote_words(Page.role.remote) ?><?cs each:l = Page.role.locations ?><?cs if:first(l) ?>: <?cs else ?>; <?cs /if ?><?cs var:l.city ?><?cs if:l.city && l.country ?>, <?cs /if ?><?cs var:l.country ?><?cs /each ?></dd>
  <dt>Seniority</dt><dd><?cs if:Page.role.seniority ?><?cs var:Page.role.seniority ?><?cs else ?>any<?cs /if ?></dd>
  <dt>Required skills</dt><dd><?cs if:subcount(Page.role.required) ?><?cs call:list_words(Page.role.required) ?><?cs else ?>none<?cs /if ?></dd>
  <dt>Nice to have</dt><dd><?cs if:subcount(Page.role.nice) ?><?cs each:n = Page.role.nice ?><?cs if:!first(n) ?>, <?cs /if ?><?cs var:n.skill ?> (weight <?cs var:n.weight ?>)<?cs /each ?><?cs else ?>none<?cs /if ?></dd>
  <dt>Hiring managers</dt><dd><?cs if:subcount(Page.role.managers) ?><?cs call:list_words(Page.role.managers) ?><?cs else ?>none yet<?cs /if ?></dd>
  <dt>Owner</dt><dd><?cs var:Page.role.owner_name ?></dd><?cs
  if:Page.role.opened_at ?><dt>Opened</dt><dd><?cs var:Page.role.opened_at ?></dd><?cs /if ?><?cs
  if:Page.role.closed_at ?><dt>Closed</dt><dd><?cs var:Page.role.closed_at ?></dd><?cs /if ?>
</dl><?cs
if:Page.role.description ?>
<h2>Description</h2>
<p class="description"><?cs var:Page.role.description ?></p><?cs /if ?>
<?cs if:!Page.manager ?>
<section aria-labelledby="state-title">
<h2 id="state-title">State: <?cs call:role_status(Page.role.status) ?></h2>
<form method="post" action="/office/role/state" class="state-buttons"><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.role.id ?>"><?cs
  if:Page.can.open ?>
  <button type="submit" name="status" value="open"><?cs if:Page.role.status == "draft" ?>Open the role<?cs else ?>Reopen<?cs /if ?></button><?cs /if ?><?cs
  if:Page.can.on_hold ?>
  <button type="submit" name="status" value="on_hold" class="secondary">Put on hold</button><?cs /if ?><?cs
  if:Page.can.filled ?>
  <button type="submit" name="status" value="filled" class="secondary">Mark as filled</button><?cs /if ?><?cs
  if:Page.can.closed ?>
  <button type="submit" name="status" value="closed" class="secondary">Close without hiring</button><?cs /if ?><?cs
  if:Form.status.error ?>
  <p class="field-error" id="status-error"><?cs var:Form.status.error ?></p><?cs /if ?>
</form>
<p class="hint">Filling or closing the role marks those who reached interviewing or offer, and were not hired, as silver medallists for its job family.</p>
</section><?cs /if ?>
<h2 id="pipeline">Pipeline</h2>
<ul class="stage-counts"><?cs each:s = Page.stages ?>
  <li><?cs var:s.label ?>: <?cs var:s.count ?></li><?cs /each ?>
</ul>
<p><a href="/office/role/pipeline?id=<?cs var:url_escape(Page.role.id) ?>">See the pipeline</a><?cs if:!Page.manager ?> · <a href="/office/role/matches?id=<?cs var:url_escape(Page.role.id) ?>">See the ranking</a><?cs /if ?></p>
<section aria-labelledby="silver-title" id="silver">
<h2 id="silver-title">Silver medallists</h2><?cs
if:!subcount(Page.silver) ?>
<p>None<?cs if:Page.role.status == "filled" || Page.role.status == "closed" ?>: no one reached interviewing or offer without being hired<?cs else ?> yet: they are marked when the role is filled or closed<?cs /if ?>.</p><?cs
else ?>
<p>Marked when the role was <?cs if:Page.role.status == "filled" ?>filled<?cs else ?>closed<?cs /if ?>. Their records now say they were a silver medallist for this job family, which ranks them higher for similar roles. Undo a mark that is wrong.</p>
<ul class="silver"><?cs each:s = Page.silver ?>
  <li><a href="/office/candidate?id=<?cs var:url_escape(s.id) ?>"><?cs if:s.name ?><?cs var:s.name ?><?cs else ?>Candidate <?cs var:s.id ?><?cs /if ?></a><?cs
    if:!Page.manager ?>
    <form method="post" action="/office/role/silver/undo" class="inline"><?cs call:csrf_field() ?>
      <input type="hidden" name="id" value="<?cs var:Page.role.id ?>">
      <input type="hidden" name="cand" value="<?cs var:s.id ?>">
      <button type="submit" class="link">Undo<span class="visually-hidden"> the silver mark of <?cs var:s.name ?></span></button>
    </form><?cs /if ?></li><?cs /each ?>
</ul><?cs /if ?>
</section>
<section aria-labelledby="comments-title" id="comments">
<h2 id="comments-title">Comments</h2>
<form method="post" action="/office/role/comment" novalidate><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.role.id ?>">
  <div class="field<?cs if:Form.text.error ?> has-error<?cs /if ?>">
    <label for="text">Your comment</label>
    <textarea<?cs call:input_attrs("text", "") ?> rows="3" maxlength="4000" required><?cs var:Form.text.value ?></textarea><?cs call:field_error("text") ?>
  </div>
  <button type="submit">Add the comment</button>
</form><?cs
if:!subcount(Page.comments) ?>
<p>No comments yet.</p><?cs
else ?>
<p><?cs var:Page.ncomments ?> comment<?cs if:Page.ncomments != 1 ?>s<?cs /if ?>, newest first.</p>
<ol class="timeline comments"><?cs each:c = Page.comments ?>
  <li><p class="what"><?cs var:c.by_name ?> <span class="by"><?cs var:c.when ?></span></p>
    <p class="text"><?cs var:c.text ?></p></li><?cs /each ?>
</ol><?cs
  if:Page.cpages > 1 ?>
<nav class="pager" aria-label="Pages of comments">
  <?cs if:Page.cprev ?><a rel="prev" href="/office/role?id=<?cs var:url_escape(Page.role.id) ?>&amp;cpage=<?cs var:url_escape(Page.cprev) ?>#comments">Newer</a><?cs /if ?>
  <span>Page <?cs var:Page.cpage ?> of <?cs var:Page.cpages ?></span>
  <?cs if:Page.cnext ?><a rel="next" href="/office/role?id=<?cs var:url_escape(Page.role.id) ?>&amp;cpage=<?cs var:url_escape(Page.cnext) ?>#comments">Older</a><?cs /if ?>
</nav><?cs /if ?><?cs /if ?>
</section>
<?cs /def ?><?cs include:"layout.cs" ?>
