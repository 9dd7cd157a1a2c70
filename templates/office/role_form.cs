<?cs include:"macros.cs" ?><?cs include:"office/role_macros.cs" ?><?cs if:Page.role.id ?><?cs set:Page.title = "Edit the role" ?><?cs else ?><?cs set:Page.title = "A new role" ?><?cs /if ?><?cs set:Page.area = "office" ?>
<?cs # role_form.cs: the form of a new role and of editing one (role_new.cs and role_edit.cs set Page.form_action); Form.* holds the role as stored or as typed. ?>
<?cs def:textarea_field(name, label, rows, maxlength, hint) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <label for="<?cs var:name ?>"><?cs var:label ?> <span class="optional">(optional)</span></label><?cs call:hint(name, hint) ?>
  <textarea<?cs call:input_attrs(name, hint) ?> rows="<?cs var:rows ?>" maxlength="<?cs var:maxlength ?>"><?cs var:Form[name].value ?></textarea><?cs call:field_error(name) ?>
</div><?cs /def ?>
<?cs def:content() ?><?cs
if:Page.role.id ?>
<p><a href="/office/role?id=<?cs var:url_escape(Page.role.id) ?>">Back to the role</a></p>
<h1>Edit: <?cs var:Page.role.title ?></h1><?cs call:role_tabs("edit") ?><?cs
else ?>
<p><a href="/office/roles">All roles</a></p>
<h1>A new role</h1><?cs /if ?><?cs
if:Page.conflict ?>
<div class="error-summary" role="alert" aria-labelledby="conflict-title">
  <h2 id="conflict-title">Someone else changed this role</h2>
  <p>It was saved by someone else after you opened it, so your change was not saved. What you typed is still in the form. Check the role as it is now, then save again to keep your change.</p>
</div><?cs /if ?>
<?cs call:error_summary() ?>
<form method="post" action="<?cs var:Page.form_action ?>" novalidate><?cs call:csrf_field() ?><?cs
  if:Page.role.id ?>
  <input type="hidden" name="id" value="<?cs var:Page.role.id ?>">
  <input type="hidden" name="gen" value="<?cs var:Form.gen.value ?>"><?cs /if ?>
  <?cs call:input_field("title", "Title", "text", "off", "120", "1", "") ?>
  <?cs call:input_field("team", "Team", "text", "off", "80", "", "") ?>
  <div class="field<?cs if:Form.family.error ?> has-error<?cs /if ?>">
    <label for="family">Job family</label><?cs call:hint("family", "People interested in this kind of role, and silver medallists of it, rank higher.") ?>
    <select<?cs call:input_attrs("family", "1") ?> required>
      <option value="">Choose one</option><?cs
      each:f = Site.JobFamilies ?>
      <option value="<?cs name:f ?>"<?cs if:Form.family.value == name(f) ?> selected<?cs /if ?>><?cs var:f ?></option><?cs /each ?>
    </select><?cs call:field_error("family") ?>
  </div>
  <div class="field<?cs if:Form.remote.error ?> has-error<?cs /if ?>">
    <label for="remote">Remote policy</label>
    <select<?cs call:input_attrs("remote", "") ?> required><?cs
      each:r = Page.remotes ?>
      <option value="<?cs var:r ?>"<?cs if:Form.remote.value == r ?> selected<?cs /if ?>><?cs call:remote_words(r) ?></option><?cs /each ?>
    </select><?cs call:field_error("remote") ?>
  </div>
  <?cs call:textarea_field("locations", "Locations", "3", "1000", "Needed unless the role is remote. One a line: the city, a comma, then the country, such as: Berlin, Germany. A country alone is fine.") ?>
  <div class="field<?cs if:Form.seniority.error ?> has-error<?cs /if ?>">
    <label for="seniority">Seniority <span class="optional">(optional)</span></label>
    <select<?cs call:input_attrs("seniority", "") ?>>
      <option value="">Any</option><?cs
      call:option("seniority", "student", "Student or graduate") ?><?cs
      call:option("seniority", "junior", "Junior") ?><?cs
      call:option("seniority", "mid", "Mid-level") ?><?cs
      call:option("seniority", "senior", "Senior") ?><?cs
      call:option("seniority", "lead", "Lead or manager") ?><?cs
      call:option("seniority", "executive", "Executive") ?>
    </select><?cs call:field_error("seniority") ?>
  </div>
  <?cs call:input_field("required", "Required skills", "text", "off", "1000", "", "With commas between them, such as: Go, PostgreSQL, Kubernetes. Usual other names count too (golang, postgres, k8s).") ?>
  <?cs call:textarea_field("nice", "Nice-to-have skills", "4", "1000", "One a line, then a colon and how much it counts from 1 to 5 (3 if left out), such as: Terraform: 2") ?>
  <?cs call:textarea_field("description", "Description", "6", "8000", "") ?>
  <fieldset class="field choices<?cs if:Form.managers.error ?> has-error<?cs /if ?>" id="managers"<?cs if:Form.managers.error ?> aria-describedby="managers-error"<?cs /if ?>>
    <legend>Hiring managers</legend>
    <p class="hint">They see this role, its pipeline and the people in it, and may comment; nothing else.</p><?cs
    each:m = Page.managers ?>
    <div class="checkbox">
      <input type="checkbox" name="managers" value="<?cs var:m.id ?>" id="managers-<?cs var:m.id ?>"<?cs if:Form.managers.checked[m.id] ?> checked<?cs /if ?><?cs if:Form.errors.0.field == "managers" && first(m) ?> autofocus<?cs /if ?>>
      <label for="managers-<?cs var:m.id ?>"><?cs var:m.name ?></label>
    </div><?cs /each ?><?cs
    if:!subcount(Page.managers) ?>
    <p>There are no hiring managers among the users yet: an admin adds them under Users.</p><?cs /if ?><?cs call:field_error("managers") ?>
  </fieldset>
  <div class="field<?cs if:Form.owner.error ?> has-error<?cs /if ?>">
    <label for="owner">Owner</label><?cs call:hint("owner", "Gets the new-match alerts and their daily digest.") ?>
    <select<?cs call:input_attrs("owner", "1") ?> required><?cs
      each:u = Page.owners ?>
      <option value="<?cs var:u.id ?>"<?cs if:#Form.owner.value == #u.id ?> selected<?cs /if ?>><?cs var:u.name ?></option><?cs /each ?>
    </select><?cs call:field_error("owner") ?>
  </div>
  <div class="field<?cs if:Form.threshold.error ?> has-error<?cs /if ?>">
    <label for="threshold">New-match alert score <span class="optional">(optional)</span></label><?cs call:hint("threshold", "From 1 to 100: someone new scoring at least this is sent to the owner. Leave empty for the usual score.") ?>
    <input type="text" inputmode="numeric"<?cs call:input_attrs("threshold", "1") ?> autocomplete="off" maxlength="3" value="<?cs var:Form.threshold.value ?>"><?cs call:field_error("threshold") ?>
  </div><?cs
  if:!Page.role.id ?>
  <?cs call:checkbox_field("open", "Open the role now (otherwise it stays a draft)") ?><?cs /if ?>
  <button type="submit"><?cs if:Page.role.id ?>Save the role<?cs else ?>Save the new role<?cs /if ?></button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
