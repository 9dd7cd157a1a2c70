<?cs include:"macros.cs" ?><?cs set:Page.title = "Download your data" ?>
<?cs def:content() ?>
<h1>Download your data</h1>
<p class="lead">One file with everything we hold about you: your details, every consent you gave or withdrew, our notes and the emails we sent you. It is in JSON, a plain-text format that other services can read.</p>
<form method="post" action="/export">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="t" value="<?cs var:Page.t ?>">
  <button type="submit">Download my data</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
