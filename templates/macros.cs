<?cs # macros.cs: form pieces shared by every page. Values are escaped by
     the html VarEscapeMode; errors are tied to their inputs for screen readers. ?>
<?cs def:error_summary() ?><?cs if:Form.error_count ?>
<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
  <h2 id="error-summary-title">Please check <?cs if:Form.error_count == 1 ?>one thing<?cs else ?><?cs var:Form.error_count ?> things<?cs /if ?> below</h2>
  <ul><?cs each:e = Form.errors ?>
    <li><a href="#<?cs var:e.field ?>"><?cs var:e.message ?></a></li><?cs /each ?>
  </ul>
</div><?cs /if ?><?cs /def ?>

<?cs def:field_attrs(name) ?> id="<?cs var:name ?>" name="<?cs var:name ?>"<?cs
  if:Form[name].error ?> aria-invalid="true" aria-describedby="<?cs var:name ?>-error"<?cs /if ?><?cs
  if:Form.errors.0.field == name ?> autofocus<?cs /if ?><?cs /def ?>

<?cs def:field_error(name) ?><?cs if:Form[name].error ?>
  <p class="field-error" id="<?cs var:name ?>-error"><?cs var:Form[name].error ?></p><?cs /if ?><?cs /def ?>

<?cs def:text_field(name, label, type, autocomplete, maxlength) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <label for="<?cs var:name ?>"><?cs var:label ?></label>
  <input type="<?cs var:type ?>"<?cs call:field_attrs(name) ?> autocomplete="<?cs var:autocomplete ?>" maxlength="<?cs var:maxlength ?>" required value="<?cs var:Form[name].value ?>"><?cs call:field_error(name) ?>
</div><?cs /def ?>

<?cs def:csrf_field() ?><input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>"><?cs /def ?>

<?cs def:described_by(name, hint) ?><?cs if:hint || Form[name].error ?> aria-describedby="<?cs if:hint ?><?cs var:name ?>-hint<?cs /if ?><?cs if:hint && Form[name].error ?> <?cs /if ?><?cs if:Form[name].error ?><?cs var:name ?>-error<?cs /if ?>"<?cs /if ?><?cs /def ?>

<?cs def:input_attrs(name, hint) ?> id="<?cs var:name ?>" name="<?cs var:name ?>"<?cs
  if:Form[name].error ?> aria-invalid="true"<?cs /if ?><?cs call:described_by(name, hint) ?><?cs
  if:Form.errors.0.field == name ?> autofocus<?cs /if ?><?cs /def ?>

<?cs def:hint(name, hint) ?><?cs if:hint ?>
  <p class="hint" id="<?cs var:name ?>-hint"><?cs var:hint ?></p><?cs /if ?><?cs /def ?>

<?cs # A text input; required is "1" or "", hint may be "". ?>
<?cs def:input_field(name, label, type, autocomplete, maxlength, required, hint) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <label for="<?cs var:name ?>"><?cs var:label ?><?cs if:!required ?> <span class="optional">(optional)</span><?cs /if ?></label><?cs call:hint(name, hint) ?>
  <input type="<?cs var:type ?>"<?cs call:input_attrs(name, hint) ?> autocomplete="<?cs var:autocomplete ?>" maxlength="<?cs var:maxlength ?>"<?cs if:required ?> required<?cs /if ?> value="<?cs var:Form[name].value ?>"><?cs call:field_error(name) ?>
</div><?cs /def ?>

<?cs # One checkbox; its value is "1" when ticked. ?>
<?cs def:checkbox_field(name, label) ?>
<div class="field checkbox<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <input type="checkbox" value="1"<?cs call:input_attrs(name, "") ?><?cs if:Form[name].value ?> checked<?cs /if ?>>
  <label for="<?cs var:name ?>"><?cs var:label ?></label><?cs call:field_error(name) ?>
</div><?cs /def ?>

<?cs # The job families as a group of checkboxes named "interests". ?>
<?cs def:interests_field() ?>
<fieldset class="field choices<?cs if:Form.interests.error ?> has-error<?cs /if ?>" id="interests"<?cs if:Form.interests.error ?> aria-describedby="interests-error"<?cs /if ?>>
  <legend>Kinds of role you are interested in</legend><?cs
  each:f = Site.JobFamilies ?>
  <div class="checkbox">
    <input type="checkbox" name="interests" value="<?cs name:f ?>" id="interests-<?cs name:f ?>"<?cs
      if:Form.interests.checked[name(f)] ?> checked<?cs /if ?><?cs
      if:Form.errors.0.field == "interests" && first(f) ?> autofocus<?cs /if ?>>
    <label for="interests-<?cs name:f ?>"><?cs var:f ?></label>
  </div><?cs /each ?><?cs call:field_error("interests") ?>
</fieldset><?cs /def ?>

<?cs def:option(field, value, label) ?>
    <option value="<?cs var:value ?>"<?cs if:Form[field].value == value ?> selected<?cs /if ?>><?cs var:label ?></option><?cs /def ?>

<?cs def:seniority_field() ?>
<div class="field<?cs if:Form.seniority.error ?> has-error<?cs /if ?>">
  <label for="seniority">Seniority</label>
  <select<?cs call:input_attrs("seniority", "") ?> required>
    <option value="">Choose the level that fits you best</option><?cs
    call:option("seniority", "student", "Student or graduate") ?><?cs
    call:option("seniority", "junior", "Junior") ?><?cs
    call:option("seniority", "mid", "Mid-level") ?><?cs
    call:option("seniority", "senior", "Senior") ?><?cs
    call:option("seniority", "lead", "Lead or manager") ?><?cs
    call:option("seniority", "executive", "Executive") ?>
  </select><?cs call:field_error("seniority") ?>
</div><?cs /def ?>

<?cs def:skills_field() ?>
<div class="field<?cs if:Form.skills.error ?> has-error<?cs /if ?>">
  <label for="skills">Skills <span class="optional">(optional)</span></label>
  <p class="hint" id="skills-hint">A few words, with commas between them, like: Python, recruiting, SQL.</p>
  <input type="text"<?cs call:input_attrs("skills", "1") ?> autocomplete="off" maxlength="1500"<?cs if:subcount(Page.skills) ?> list="skill-suggestions"<?cs /if ?> value="<?cs var:Form.skills.value ?>"><?cs call:field_error("skills") ?><?cs
  if:subcount(Page.skills) ?>
  <datalist id="skill-suggestions"><?cs each:s = Page.skills ?><option value="<?cs var:s ?>"></option><?cs /each ?></datalist><?cs /if ?>
</div><?cs /def ?>

<?cs def:location_fields() ?>
<fieldset class="field group">
  <legend>Where you would like to work</legend><?cs
  call:input_field("city", "City", "text", "address-level2", "100", "", "") ?><?cs
  call:input_field("country", "Country", "text", "country-name", "100", "", "") ?><?cs
  call:checkbox_field("remote", "Remote: I would like to work from anywhere") ?>
</fieldset><?cs /def ?>
