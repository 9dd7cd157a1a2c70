<?cs include:"macros.cs" ?><?cs include:"office/campaign_macros.cs" ?><?cs if:Page.camp.name ?><?cs set:Page.title = Page.camp.name ?><?cs else ?><?cs set:Page.title = "Campaign" ?><?cs /if ?><?cs set:Page.area = "office" ?>
<?cs # campaign.cs: the editor: state, settings, steps. Form.* holds the
     settings as stored, or as typed when a save was refused. ?>
<?cs def:hour_options(field, from, to) ?><?cs loop:h = from, to, 1 ?>
      <option value="<?cs var:h ?>"<?cs if:Form[field].value != "" && #Form[field].value == #h ?> selected<?cs /if ?>><?cs if:h < 10 ?>0<?cs /if ?><?cs var:h ?>:00</option><?cs /loop ?><?cs /def ?>
<?cs def:step_summary(s) ?><?cs
  if:s.type == "email" ?>“<?cs var:s.subject ?>”<?cs if:s.nvariants > 1 ?> and <?cs var:s.nvariants - 1 ?> more variant<?cs if:s.nvariants > 2 ?>s<?cs /if ?> (A/B test on <?cs if:s.ab_metric == "reply" ?>replies<?cs else ?>clicks<?cs /if ?><?cs if:s.winner ?>, winner: variant <?cs var:s.winner ?><?cs /if ?>)<?cs /if ?><?cs
  elif:s.type == "wait" ?><?cs var:s.days ?> day<?cs if:s.days != 1 ?>s<?cs /if ?><?cs if:s.hours ?> and <?cs var:s.hours ?> hour<?cs if:s.hours != 1 ?>s<?cs /if ?><?cs /if ?><?cs
  elif:s.type == "branch" ?>if <?cs call:branch_on(s.on) ?>, go to <?cs if:s.goto_end ?>the end<?cs else ?>step <?cs var:s.goto_number ?><?cs /if ?>; otherwise on to the next step<?cs
  elif:s.type == "pool_add" || s.type == "pool_remove" ?><?cs var:s.pool_name ?><?cs
  elif:s.type == "notify" ?>“<?cs var:s.text ?>”<?cs
  elif:s.type == "exit" ?>the sequence ends here<?cs /if ?><?cs /def ?>
<?cs def:content() ?>
<p><a href="/office/campaigns">All campaigns</a></p>
<h1><?cs var:Page.camp.name ?></h1>
<?cs call:camp_tabs("edit") ?><?cs
if:Page.done ?>
<p class="notice" role="status"><?cs
  if:Page.done == "created" ?>The campaign is made, as a draft. Choose its audience, then add its steps.<?cs
  elif:Page.done == "saved" ?>The settings are saved.<?cs
  elif:Page.done == "step" ?>The step is saved.<?cs
  elif:Page.done == "moved" ?>The step is moved.<?cs
  elif:Page.done == "deleted" ?>The step is deleted.<?cs
  elif:Page.done == "active" ?>The campaign is running.<?cs
  elif:Page.done == "paused" ?>The campaign is paused: no one moves on until you resume it.<?cs
  elif:Page.done == "archived" ?>The campaign is archived.<?cs /if ?></p><?cs /if ?><?cs
if:Page.conflict ?>
<div class="error-summary" role="alert" aria-labelledby="conflict-title">
  <h2 id="conflict-title">Someone else changed this campaign</h2>
  <p>It was saved by someone else after you opened it, so your change was not saved. What you typed is still in the form; the steps and state show the campaign as it is now. Check them, then save again to keep your change.</p>
</div><?cs /if ?>
<?cs call:error_summary() ?>
<section aria-labelledby="state-title">
<h2 id="state-title">State: <?cs call:camp_state(Page.camp.state) ?></h2>
<p class="hint" id="state-hint"><?cs
  if:Page.camp.state == "draft" ?>A draft sends nothing. Start it when its audience and steps are ready.<?cs
  elif:Page.camp.state == "active" ?>Running: people in its pools move through the steps in their send window.<?cs
  elif:Page.camp.state == "paused" ?>Paused: no one moves on and nothing is sent until you resume it.<?cs
  else ?>Archived: it sends nothing more and takes no one new.<?cs /if ?></p>
<form method="post" action="/office/campaign/state" class="state-buttons"><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.camp.id ?>"><?cs
  if:Page.can.activate ?>
  <button type="submit" name="state" value="active">Start the campaign</button><?cs /if ?><?cs
  if:Page.can.pause ?>
  <button type="submit" name="state" value="paused">Pause</button><?cs /if ?><?cs
  if:Page.can.resume ?>
  <button type="submit" name="state" value="active">Resume</button><?cs /if ?><?cs
  if:Page.can.archive ?>
  <button type="submit" name="state" value="archived" class="secondary">Archive</button><?cs /if ?><?cs
  if:Form.state.error ?>
  <p class="field-error" id="state-error"><?cs var:Form.state.error ?></p><?cs /if ?>
</form>
</section>

<form method="post" action="/office/campaign/save" novalidate id="settings">
  <h2>Settings</h2><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.camp.id ?>">
  <input type="hidden" name="gen" value="<?cs var:Form.gen.value ?>">
  <?cs call:input_field("name", "Campaign name", "text", "off", "120", "1", "") ?>
  <fieldset class="field choices<?cs if:Form.pools.error ?> has-error<?cs /if ?>" id="pools"<?cs if:Form.pools.error ?> aria-describedby="pools-error"<?cs /if ?>>
    <legend>Audience</legend>
    <p class="hint">The pools whose people this campaign is for. A campaign needs at least one to start.</p><?cs
    each:p = Page.pools ?>
    <div class="checkbox">
      <input type="checkbox" name="pools" value="<?cs var:p.id ?>" id="pools-<?cs var:p.id ?>"<?cs if:Form.pools.checked[p.id] ?> checked<?cs /if ?><?cs if:Form.errors.0.field == "pools" && first(p) ?> autofocus<?cs /if ?>>
      <label for="pools-<?cs var:p.id ?>"><?cs var:p.name ?> <span class="aside">(<?cs if:p.kind == "dynamic" ?>saved filter<?cs else ?>static list<?cs /if ?>)</span></label>
    </div><?cs /each ?><?cs
    if:!subcount(Page.pools) ?>
    <input type="hidden" name="pools" value="">
    <p>There are no pools yet: <a href="/office/pools">make one</a>, or save a filter of the candidate list as a pool.</p><?cs /if ?><?cs call:field_error("pools") ?>
  </fieldset>
  <?cs call:checkbox_field("auto", "Enrol people automatically when they enter one of these pools") ?>
  <div class="field<?cs if:Form.goal.error ?> has-error<?cs /if ?>">
    <label for="goal">Goal</label><?cs call:hint("goal", "Reaching it ends the sequence for that person.") ?>
    <select<?cs call:input_attrs("goal", "1") ?>><?cs
      call:option("goal", "", "None") ?><?cs
      call:option("goal", "replied", "They reply") ?><?cs
      call:option("goal", "applied", "They apply") ?><?cs
      call:option("goal", "status_changed", "Their status changes") ?>
    </select><?cs call:field_error("goal") ?>
  </div>
  <fieldset class="field group">
    <legend>Send window, in each person's own time</legend>
    <div class="field<?cs if:Form.from.error ?> has-error<?cs /if ?>">
      <label for="from">From</label>
      <select<?cs call:input_attrs("from", "") ?>><?cs call:hour_options("from", 0, 23) ?>
      </select><?cs call:field_error("from") ?>
    </div>
    <div class="field<?cs if:Form.to.error ?> has-error<?cs /if ?>">
      <label for="to">Until</label>
      <select<?cs call:input_attrs("to", "") ?>><?cs call:hour_options("to", 1, 24) ?>
      </select><?cs call:field_error("to") ?>
    </div>
    <?cs call:checkbox_field("weekdays", "Weekdays only") ?>
  </fieldset>
  <button type="submit">Save the settings</button>
</form>

<h2 id="steps">Steps</h2><?cs
if:Page.camp.state == "active" || Page.camp.state == "paused" ?>
<p class="hint">People already in the sequence keep their place by step number: moving or deleting a step changes what they get next, and those past a deleted last step are done.</p><?cs /if ?><?cs
if:Form.steps.error ?>
<p class="field-error" id="steps-error"><?cs var:Form.steps.error ?></p><?cs /if ?><?cs
if:!subcount(Page.steps) ?>
<p>No steps yet. Add the first one below: usually an email.</p><?cs
else ?>
<ol class="steps"><?cs each:s = Page.steps ?>
  <li id="step-<?cs var:s.index ?>"<?cs if:s.error ?> class="has-error"<?cs /if ?>>
    <p><strong><?cs call:step_type(s.type) ?></strong>: <?cs call:step_summary(s) ?></p><?cs
    if:s.error ?>
    <p class="field-error" id="step-<?cs var:s.index ?>-error"><?cs var:s.error ?></p><?cs /if ?>
    <form method="post" action="/office/campaign/step/move" class="step-actions"><?cs call:csrf_field() ?>
      <a href="/office/campaign/step?id=<?cs var:url_escape(Page.camp.id) ?>&amp;step=<?cs var:url_escape(s.index) ?>">Edit<span class="visually-hidden"> step <?cs var:s.number ?></span></a>
      <input type="hidden" name="id" value="<?cs var:Page.camp.id ?>">
      <input type="hidden" name="gen" value="<?cs var:Page.camp.gen ?>">
      <input type="hidden" name="step" value="<?cs var:s.index ?>"><?cs
      if:!s.first ?>
      <button type="submit" name="op" value="up" class="secondary" aria-label="Move step <?cs var:s.number ?> up">Up</button><?cs /if ?><?cs
      if:!s.last ?>
      <button type="submit" name="op" value="down" class="secondary" aria-label="Move step <?cs var:s.number ?> down">Down</button><?cs /if ?>
      <button type="submit" name="op" value="delete" class="secondary" aria-label="Delete step <?cs var:s.number ?>">Delete</button>
    </form>
  </li><?cs /each ?>
</ol><?cs /if ?>
<form method="get" action="/office/campaign/step" class="add-step">
  <input type="hidden" name="id" value="<?cs var:Page.camp.id ?>">
  <div class="field">
    <label for="add">Add a step at the end</label>
    <select id="add" name="add">
      <option value="email">Send an email</option>
      <option value="wait">Wait</option>
      <option value="branch">Branch on what they did</option>
      <option value="pool_add">Add to a pool</option>
      <option value="pool_remove">Remove from a pool</option>
      <option value="notify">Notify the owner</option>
      <option value="exit">Exit</option>
    </select>
  </div>
  <button type="submit">Add the step</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
