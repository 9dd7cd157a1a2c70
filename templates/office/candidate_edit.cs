<?cs include:"macros.cs" ?><?cs include:"office/profile_macros.cs" ?><?cs set:Page.title = "Edit " + Page.cand.name ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/candidate?id=<?cs var:url_escape(Page.id) ?>">Back to the profile</a></p>
<h1>Edit <?cs if:Page.cand.name ?><?cs var:Page.cand.name ?><?cs else ?>a candidate<?cs /if ?></h1><?cs
if:Page.conflict ?>
<div class="error-summary" role="alert" aria-labelledby="conflict-title">
  <h2 id="conflict-title">Someone else changed this profile after you opened it</h2>
  <p>Nothing was saved. What you typed is below; where it differs from what is saved now, the saved value is shown above the field. Save again to keep what you typed.</p>
</div><?cs /if ?>
<?cs call:error_summary() ?>
<form method="post" action="/office/candidate/edit" novalidate>
  <?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Form.id.value ?>">
  <input type="hidden" name="updated" value="<?cs var:Form.updated.value ?>">
  <input type="hidden" name="version" value="<?cs var:Form.version.value ?>"><?cs
  call:profile_fields(0) ?>
  <button type="submit">Save changes</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
