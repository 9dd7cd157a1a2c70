<?cs include:"macros.cs" ?><?cs set:Page.title = "Stop our emails" ?>
<?cs def:content() ?>
<h1>Stop our emails</h1>
<p class="lead">Press the button and we will stop writing to you at once. You can join again whenever you like.</p>
<form method="post" action="/unsubscribe">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="t" value="<?cs var:Page.t ?>">
  <button type="submit">Unsubscribe</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
