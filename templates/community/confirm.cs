<?cs include:"macros.cs" ?><?cs set:Page.title = "Confirm your email" ?>
<?cs def:content() ?>
<h1>Confirm your email</h1>
<p class="lead">One last step: press the button to confirm that you would like to hear from us about roles and news.</p>
<form method="post" action="/confirm">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="t" value="<?cs var:Page.t ?>">
  <button type="submit">Yes, keep me informed</button>
</form>
<p>Did not ask for this? Close this page: without a confirmation we never write to anyone, and the request expires after 7 days.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
