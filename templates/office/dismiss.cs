<?cs include:"macros.cs" ?><?cs set:Page.title = "Not a duplicate" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/duplicates">Likely duplicates</a></p>
<h1>Not a duplicate</h1>
<?cs call:error_summary() ?>
<p>These two records will no longer be listed as the same person.</p>
<form method="post" action="/office/duplicates/dismiss"><?cs call:csrf_field() ?>
  <input type="hidden" name="a" id="a" value="<?cs var:Form.a.value ?>"><?cs call:field_error("a") ?>
  <input type="hidden" name="b" id="b" value="<?cs var:Form.b.value ?>"><?cs call:field_error("b") ?>
  <button type="submit">They are two people</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
