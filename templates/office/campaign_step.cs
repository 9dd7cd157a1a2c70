<?cs include:"macros.cs" ?><?cs include:"office/campaign_macros.cs" ?><?cs set:Page.title = "Campaign step" ?><?cs set:Page.area = "office" ?>
<?cs # campaign_step.cs: one step's form, by its type; Form.* as stored or as typed. ?>
<?cs def:textarea_field(name, label, rows, maxlength, hint) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <label for="<?cs var:name ?>"><?cs var:label ?></label><?cs call:hint(name, hint) ?>
  <textarea<?cs call:input_attrs(name, hint) ?> rows="<?cs var:rows ?>" maxlength="<?cs var:maxlength ?>"><?cs var:Form[name].value ?></textarea><?cs call:field_error(name) ?>
</div><?cs /def ?>
<?cs def:variant_fields(sname, bname, letter) ?>
  <fieldset class="field group variant" id="variant-<?cs var:letter ?>">
    <legend><?cs if:Page.nvariants > 1 || !Page.step.type ?>Variant <?cs var:letter ?><?cs else ?>The mail<?cs /if ?></legend>
    <div class="field<?cs if:Form[sname].error ?> has-error<?cs /if ?>">
      <label for="<?cs var:sname ?>">Subject</label>
      <input type="text"<?cs call:input_attrs(sname, "") ?> autocomplete="off" maxlength="300" value="<?cs var:Form[sname].value ?>"><?cs call:field_error(sname) ?>
    </div>
    <?cs call:textarea_field(bname, "Message", "10", "20000", "Plain text: a blank line starts a paragraph, and web addresses become links. The unsubscribe and preference links are added below it.") ?>
  </fieldset><?cs /def ?>
<?cs def:content() ?><?cs set:Page.all = !Page.step.type ?>
<p><a href="/office/campaign?id=<?cs var:url_escape(Page.camp.id) ?>#steps">Back to the campaign</a></p>
<h1><?cs if:Page.step.new ?>New step <?cs var:Page.step.number ?><?cs else ?>Step <?cs var:Page.step.number ?><?cs /if ?>: <?cs call:step_type(Page.step.type) ?></h1>
<p class="lead">In <?cs var:Page.camp.name ?> (<?cs call:camp_state(Page.camp.state) ?>).</p><?cs
if:Page.conflict ?>
<div class="error-summary" role="alert" aria-labelledby="conflict-title">
  <h2 id="conflict-title">Someone else changed this campaign</h2>
  <p>It was saved by someone else after you opened this step, so your change was not saved. What you typed is still below: check the campaign, then save again to keep it.</p>
</div><?cs /if ?>
<?cs call:error_summary() ?>
<form method="post" action="/office/campaign/step" novalidate id="step-form"><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.camp.id ?>">
  <input type="hidden" name="gen" value="<?cs var:Form.gen.value ?>">
  <input type="hidden" name="step" value="<?cs var:Page.step.index ?>">
  <input type="hidden" name="type" value="<?cs var:Page.step.type ?>"><?cs
  if:Page.step.new ?>
  <input type="hidden" name="new" value="1"><?cs /if ?>
  <input type="hidden" name="nvariants" value="<?cs var:Page.nvariants ?>"><?cs
if:Page.step.type == "email" || Page.all ?>
  <details class="merge-help">
    <summary>Merge fields you can use</summary>
    <p>Write <code>{{first_name}}</code> for a value, <code>{{first_name|there}}</code> for one with a fallback, and <code>{{#if city}}…{{else}}…{{/if}}</code> or <code>{{#unless city}}…{{/unless}}</code> for parts only some people get.</p>
    <ul class="merge-fields"><?cs each:f = Page.merge_fields ?><li><code>{{<?cs var:f ?>}}</code></li><?cs /each ?></ul>
  </details><?cs
  each:v = Page.variants ?><?cs call:variant_fields(v.sname, v.bname, v.letter) ?><?cs /each ?><?cs
  if:Page.all ?><?cs call:variant_fields("subject_0", "body_0", "A") ?><?cs
    call:variant_fields("subject_1", "body_1", "B") ?><?cs
    call:variant_fields("subject_2", "body_2", "C") ?><?cs
    call:variant_fields("subject_3", "body_3", "D") ?><?cs /if ?><?cs
  if:Page.nvariants > 1 || Page.all ?>
  <fieldset class="field group">
    <legend>A/B test</legend>
    <p class="hint">People are split at random between the variants. A winner is declared only when it is significantly better.</p>
    <div class="field<?cs if:Form.ab_metric.error ?> has-error<?cs /if ?>">
      <label for="ab_metric">Winning measure</label>
      <select<?cs call:input_attrs("ab_metric", "") ?>><?cs
        call:option("ab_metric", "click", "Clicks") ?><?cs
        call:option("ab_metric", "reply", "Replies") ?>
      </select><?cs call:field_error("ab_metric") ?>
    </div>
    <?cs call:checkbox_field("ab_auto", "Switch everyone to the winner once it is significant") ?>
  </fieldset><?cs /if ?><?cs /if ?><?cs
if:Page.step.type == "wait" || Page.all ?>
  <fieldset class="field group">
    <legend>How long to wait</legend>
    <?cs call:input_field("days", "Days", "text", "off", "3", "", "From 0 to 365.") ?>
    <?cs call:input_field("hours", "Hours", "text", "off", "2", "", "From 0 to 23.") ?>
  </fieldset><?cs /if ?><?cs
if:Page.step.type == "branch" || Page.all ?>
  <div class="field<?cs if:Form.on.error ?> has-error<?cs /if ?>">
    <label for="on">When</label>
    <select<?cs call:input_attrs("on", "") ?>><?cs
      call:option("on", "clicked", "they clicked a link since the last email") ?><?cs
      call:option("on", "replied", "they replied since the last email") ?><?cs
      call:option("on", "nothing", "they did nothing since the last email") ?><?cs
      call:option("on", "hot", "their engagement is hot") ?><?cs
      call:option("on", "warm", "their engagement is warm") ?><?cs
      call:option("on", "cold", "their engagement is cold") ?>
    </select><?cs call:field_error("on") ?>
  </div>
  <div class="field<?cs if:Form.goto.error ?> has-error<?cs /if ?>">
    <label for="goto">Then go to</label><?cs call:hint("goto", "Otherwise they go on to the next step.") ?>
    <select<?cs call:input_attrs("goto", "1") ?>><?cs each:g = Page.gotos ?>
      <option value="<?cs var:g.value ?>"<?cs if:Form.goto.value == g.value ?> selected<?cs /if ?>>Step <?cs var:g.number ?>: <?cs call:step_type(g.type) ?></option><?cs /each ?><?cs
      call:option("goto", "end", "The end of the sequence") ?>
    </select><?cs call:field_error("goto") ?>
  </div><?cs /if ?><?cs
if:Page.step.type == "pool_add" || Page.step.type == "pool_remove" || Page.all ?>
  <div class="field<?cs if:Form.pool.error ?> has-error<?cs /if ?>">
    <label for="pool"><?cs if:Page.step.type == "pool_add" ?>Add them to<?cs else ?>Remove them from<?cs /if ?></label><?cs call:hint("pool", "Static pools only: a saved filter's members follow its filter.") ?>
    <select<?cs call:input_attrs("pool", "1") ?>>
      <option value="">Choose a pool</option><?cs each:p = Page.static_pools ?><?cs
      call:option("pool", p.id, p.name) ?><?cs /each ?>
    </select><?cs call:field_error("pool") ?>
  </div><?cs /if ?><?cs
if:Page.step.type == "notify" || Page.all ?>
  <?cs call:textarea_field("text", "What the notice says", "3", "1000", "It goes to the person's owner, or to the campaign's owner when they have none, with a link to them.") ?><?cs /if ?><?cs
if:Page.step.type == "exit" ?>
  <p>The sequence ends here for everyone who reaches this step.</p><?cs
/if ?>
  <div class="actions">
    <button type="submit" name="op" value="save">Save the step</button><?cs
    if:Page.step.type == "email" ?><?cs
      if:#Page.nvariants < 4 ?>
    <button type="submit" name="op" value="add_variant" class="secondary">Add a variant</button><?cs /if ?><?cs
      if:Page.nvariants > 1 ?>
    <button type="submit" name="op" value="remove_variant" class="secondary">Remove the last variant</button><?cs /if ?><?cs
    /if ?>
  </div>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
