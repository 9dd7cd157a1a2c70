<?cs include:"macros.cs" ?><?cs set:Page.title = "Merge two records" ?><?cs set:Page.area = "office" ?>
<?cs # One choice of the merge: radios when the records differ, else the
     value both hold (sent as the kept record's). f: the form field, g: the
     group in Page.groups. The choices are fixed: nothing to show an error
     next to (a bad value is a forged form and gets the error page). ?>
<?cs def:pick(f, g, label) ?><?cs set:choice = Page.groups[g].pick ?><?cs
  if:Page.groups[g].differs ?>
<fieldset class="field choices" id="<?cs var:f ?>">
  <legend><?cs var:label ?></legend>
  <div class="checkbox">
    <input type="radio" name="<?cs var:f ?>" value="a" id="<?cs var:f ?>-a"<?cs if:choice != "b" ?> checked<?cs /if ?>>
    <label for="<?cs var:f ?>-a"><?cs if:Page.groups[g].a ?><?cs var:Page.groups[g].a ?><?cs else ?><em>(none)</em><?cs /if ?> <small>(#<?cs var:Page.a.id ?>)</small></label>
  </div>
  <div class="checkbox">
    <input type="radio" name="<?cs var:f ?>" value="b" id="<?cs var:f ?>-b"<?cs if:choice == "b" ?> checked<?cs /if ?>>
    <label for="<?cs var:f ?>-b"><?cs if:Page.groups[g].b ?><?cs var:Page.groups[g].b ?><?cs else ?><em>(none)</em><?cs /if ?> <small>(#<?cs var:Page.b.id ?>)</small></label>
  </div>
</fieldset><?cs
  else ?>
<div class="field same">
  <p><strong><?cs var:label ?>:</strong> <?cs if:Page.groups[g].a ?><?cs var:Page.groups[g].a ?><?cs else ?><em>(none)</em><?cs /if ?> <small>(the same in both)</small></p>
  <input type="hidden" name="<?cs var:f ?>" value="a">
</div><?cs
  /if ?><?cs /def ?>
<?cs def:united(field, label) ?><?cs if:subcount(Page.lists[field]) ?>
  <dt><?cs var:label ?></dt><dd><?cs each:v = Page.lists[field] ?><?cs if:!first(v) ?>, <?cs /if ?><?cs var:v ?><?cs /each ?></dd><?cs /if ?><?cs /def ?>
<?cs def:content() ?>
<p><a href="/office/duplicates">Likely duplicates</a></p>
<h1>Merge two records</h1>
<p class="lead"><a href="/office/candidate?id=<?cs var:url_escape(Page.a.id) ?>"><?cs var:Page.a.name ?></a> (#<?cs var:Page.a.id ?>) is kept; <a href="/office/candidate?id=<?cs var:url_escape(Page.b.id) ?>"><?cs var:Page.b.name ?></a> (#<?cs var:Page.b.id ?>) is merged into it and removed. <a href="/office/merge?a=<?cs var:url_escape(Page.b.id) ?>&amp;b=<?cs var:url_escape(Page.a.id) ?>">Keep #<?cs var:Page.b.id ?> instead</a>.</p>
<form method="post" action="/office/merge"><?cs call:csrf_field() ?>
  <input type="hidden" name="a" value="<?cs var:Page.a.id ?>">
  <input type="hidden" name="b" value="<?cs var:Page.b.id ?>">
  <h2>Choose each value</h2><?cs
  call:pick("pick_name", "name", "Name") ?><?cs
  call:pick("pick_email", "email", "Email") ?><?cs
  call:pick("pick_phone", "phone", "Phone") ?><?cs
  call:pick("pick_location", "location", "Location") ?><?cs
  call:pick("pick_remote", "remote", "Open to remote work") ?><?cs
  call:pick("pick_title", "title", "Job title") ?><?cs
  call:pick("pick_seniority", "seniority", "Seniority") ?><?cs
  call:pick("pick_url", "url", "LinkedIn or portfolio") ?><?cs
  call:pick("pick_source", "source", "Source") ?><?cs
  call:pick("pick_status", "status", "Status") ?><?cs
  call:pick("pick_owner", "owner", "Owner") ?><?cs
  call:pick("pick_basis", "basis", "Lawful basis") ?><?cs
  call:pick("pick_resume", "resume", "CV") ?>
  <h2>Kept from both</h2>
  <dl class="facts"><?cs
  call:united("interests", "Interests") ?><?cs
  call:united("skills", "Skills") ?><?cs
  call:united("tags", "Tags") ?><?cs
  call:united("pools", "Static pools") ?>
    <dt>Consent</dt><dd><?cs var:Page.consent ?>, as the latest consent event says (#<?cs if:Page.consent_from == "b" ?><?cs var:Page.b.id ?><?cs else ?><?cs var:Page.a.id ?><?cs /if ?>)</dd>
  </dl>
  <p>The consent ledger of #<?cs var:Page.b.id ?> (<?cs var:Page.b_events ?> event<?cs if:Page.b_events != 1 ?>s<?cs /if ?>) is added to the ledger of #<?cs var:Page.a.id ?>, each entry keeping the original. Its mail (<?cs var:Page.b_mails ?>) moves too. You can undo the merge for <?cs var:Page.undo_days ?> days.</p>
  <button type="submit">Merge #<?cs var:Page.b.id ?> into #<?cs var:Page.a.id ?></button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
