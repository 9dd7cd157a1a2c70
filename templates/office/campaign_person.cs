<?cs # campaign_person.cs: the candidate page's campaigns: where they are in each
     sequence and its history, adding them to one and taking them out. ?>
<h2 id="campaigns">Campaigns</h2><?cs
if:!subcount(Page.enrolments) ?>
<p>Not in any campaign.</p><?cs
else ?>
<ul class="enrolments"><?cs each:e = Page.enrolments ?>
  <li>
    <h3><a href="/office/campaign?id=<?cs var:url_escape(e.camp) ?>"><?cs var:e.camp_name ?></a></h3>
    <dl class="facts">
      <dt>State</dt><dd><?cs call:enrol_state(e.state) ?><?cs if:e.why_text ?>: <?cs var:e.why_text ?><?cs elif:e.why ?>: <?cs call:why_words(e.why) ?><?cs /if ?><?cs if:e.camp_state == "paused" ?> (the campaign is paused)<?cs /if ?></dd><?cs
      if:e.state == "active" ?>
      <dt>Where</dt><dd>Step <?cs var:e.step_number ?> of <?cs var:e.nsteps ?> next</dd>
      <dt>Due</dt><dd><?cs if:e.due ?><?cs var:e.due ?><?cs else ?>not scheduled<?cs /if ?></dd><?cs /if ?>
      <dt>Since</dt><dd><?cs var:e.entered ?></dd><?cs
      if:e.last_mail ?>
      <dt>Last mail</dt><dd><?cs var:e.last_mail ?></dd><?cs /if ?>
    </dl><?cs
    if:subcount(e.history) ?>
    <details>
      <summary>History (<?cs var:subcount(e.history) ?>)</summary>
      <ol class="timeline"><?cs each:h = e.history ?>
        <li><span class="aside"><?cs var:h.when ?></span> <?cs if:h.step_number ?>step <?cs var:h.step_number ?>: <?cs /if ?><?cs var:h.what ?></li><?cs /each ?>
      </ol>
    </details><?cs /if ?><?cs
    if:e.state == "active" ?>
    <form method="post" action="/office/campaign/unenrol"><?cs call:csrf_field() ?>
      <input type="hidden" name="camp" value="<?cs var:e.camp ?>">
      <input type="hidden" name="cand" value="<?cs var:Page.id ?>">
      <button type="submit" class="secondary">Take them out of <?cs var:e.camp_name ?></button>
    </form><?cs /if ?>
  </li><?cs /each ?>
</ul><?cs
/if ?><?cs
if:subcount(Page.enrol_camps) || Form.camp.error ?>
<form method="post" action="/office/campaign/enrol" novalidate id="enrol-form">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="cand" value="<?cs var:Page.id ?>">
  <div class="field<?cs if:Form.camp.error ?> has-error<?cs /if ?>">
    <label for="camp">Add to a campaign</label>
    <select<?cs call:input_attrs("camp", "") ?> required>
      <option value="">Choose a campaign</option><?cs each:c = Page.enrol_camps ?>
      <option value="<?cs var:c.id ?>"<?cs if:Form.camp.value == c.id ?> selected<?cs /if ?>><?cs var:c.name ?></option><?cs /each ?>
    </select><?cs call:field_error("camp") ?>
  </div>
  <button type="submit">Add to the campaign</button>
</form><?cs /if ?>
