<?cs include:"macros.cs" ?><?cs set:Page.title = "Check the columns" ?><?cs set:Page.area = "office" ?>
<?cs # import_map.cs: which column of an uploaded CSV file fills which field.
     Page.columns (num, name) and Page.rows (line, cells or error) preview
     the file; the form's fields are import_map_fields (page_import.c). ?>
<?cs def:map_select(name, label, hint) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <label for="<?cs var:name ?>"><?cs var:label ?></label><?cs call:hint(name, hint) ?>
  <select<?cs call:input_attrs(name, hint) ?>>
    <option value="0"<?cs if:!Form[name].value ?> selected<?cs /if ?>>Not imported</option><?cs each:c = Page.columns ?>
    <option value="<?cs var:c.num ?>"<?cs if:Form[name].value == c.num ?> selected<?cs /if ?>>Column <?cs var:c.num ?>: <?cs var:c.name ?></option><?cs /each ?>
  </select><?cs call:field_error(name) ?>
</div><?cs /def ?>
<?cs def:radio(name, value, label) ?>
  <div class="checkbox">
    <input type="radio" name="<?cs var:name ?>" value="<?cs var:value ?>" id="<?cs var:name ?>-<?cs var:value ?>"<?cs
      if:Form[name].value == value ?> checked<?cs /if ?><?cs
      if:Form[name].error ?> aria-describedby="<?cs var:name ?>-error"<?cs /if ?>>
    <label for="<?cs var:name ?>-<?cs var:value ?>"><?cs var:label ?></label>
  </div><?cs /def ?>
<?cs def:content() ?>
<p><a href="/office/import">Upload another file</a> · <a href="/office/jobs">Jobs</a></p>
<h1>Check the columns</h1><?cs
if:Page.remembered ?>
<p class="notice">The columns are set as for the last import of a file with the same header.</p><?cs
elif:Page.layout ?>
<p class="notice">Recognised: <?cs var:Page.layout ?>. The columns are set for it.</p><?cs /if ?>
<?cs call:error_summary() ?><?cs
if:subcount(Page.columns) ?>
<h2>The first rows</h2><?cs
if:Page.nrows == 0 ?>
<p>The file has a header and no rows after it: an import would change nothing.</p><?cs else ?>
<div class="table-wrap">
<table class="preview">
  <thead><tr><th scope="col">Line</th><?cs each:c = Page.columns ?><th scope="col"><?cs var:c.num ?>. <?cs var:c.name ?></th><?cs /each ?></tr></thead>
  <tbody><?cs each:r = Page.rows ?>
    <tr><th scope="row"><?cs var:r.line ?></th><?cs if:r.error ?><td colspan="<?cs var:Page.ncols ?>" class="row-error">Cannot be imported: <?cs var:r.error ?></td><?cs else ?><?cs each:v = r.cells ?><td><?cs var:v ?></td><?cs /each ?><?cs /if ?></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs /if ?><?cs /if ?>
<form method="post" action="/office/import/map"><?cs call:csrf_field() ?>
<input type="hidden" name="f" value="<?cs var:Form.f.value ?>">
<input type="hidden" name="n" value="<?cs var:Form.n.value ?>">
<fieldset class="field group">
  <legend>Which column holds what</legend><?cs
  call:map_select("map_email", "Email address", "Required. Rows are matched to candidates by it; rows without a valid one are not imported.") ?><?cs
  call:map_select("map_first_name", "First name", "") ?><?cs
  call:map_select("map_last_name", "Last name", "") ?><?cs
  call:map_select("map_name", "Full name", "When there are no separate first and last names.") ?><?cs
  call:map_select("map_title", "Job title", "") ?><?cs
  call:map_select("map_phone", "Phone", "6 to 20 digits, with + ( ) - . and spaces.") ?><?cs
  call:map_select("map_city", "City", "") ?><?cs
  call:map_select("map_country", "Country", "") ?><?cs
  call:map_select("map_url", "LinkedIn or web address", "") ?><?cs
  call:map_select("map_source", "Source", "Where the candidate came from.") ?><?cs
  call:map_select("map_status", "Status", "sourced, contacted, engaged, applied, interviewing, offered, hired, declined, silver medallist or do not contact. New candidates without one are sourced.") ?><?cs
  call:map_select("map_seniority", "Seniority", "student, junior, mid, senior, lead or executive.") ?><?cs
  call:map_select("map_tags", "Tags", "Separated by commas.") ?><?cs
  call:map_select("map_skills", "Skills", "Separated by commas.") ?><?cs
  call:map_select("map_remote", "Remote", "yes or no.") ?><?cs
  call:map_select("map_notes", "Notes", "Added to the timeline of the candidates the import creates.") ?>
</fieldset>
<fieldset class="field choices<?cs if:Form.policy.error ?> has-error<?cs /if ?>" id="policy">
  <legend>Candidates already in Hearth (the same email address)</legend><?cs
  call:radio("policy", "create", "Leave them as they are: only create new candidates") ?><?cs
  call:radio("policy", "update", "Update them, and create no one new") ?><?cs
  call:radio("policy", "both", "Update them, and create the new ones") ?>
  <p class="hint">An update changes only the fields whose cells are not empty, and adds to tags and skills.</p><?cs call:field_error("policy") ?>
</fieldset><?cs
call:input_field("source", "Source of new candidates", "text", "off", "100", "", "For rows without a source column, such as: Spring careers fair. Left empty: CSV import.") ?>
<fieldset class="field choices<?cs if:Form.basis.error ?> has-error<?cs /if ?>" id="basis">
  <legend>Lawful basis for keeping the new candidates' details</legend><?cs
  call:radio("basis", "legitimate_interest", "Legitimate interest") ?><?cs
  call:radio("basis", "consent", "They consented to it") ?><?cs call:field_error("basis") ?>
</fieldset><?cs
call:input_field("basis_note", "Why you may keep their details", "text", "off", "500", "", "Required for legitimate interest, such as: they gave us their card at the fair. Recorded with each candidate.") ?>
<button type="submit">Start the import</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
