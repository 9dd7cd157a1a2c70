<?cs include:"macros.cs" ?><?cs set:Page.title = "Erase your data" ?>
<?cs def:content() ?>
<h1>Erase your data</h1>
<p class="lead">Press the button and we will erase your details, your consent history, your CV and every email we sent you. This cannot be undone.</p>
<p>We keep only a scrambled fingerprint of your email address, from which the address cannot be read back, so that we never add you again by mistake. You can still join again yourself.</p>
<form method="post" action="/erase">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="t" value="<?cs var:Page.t ?>">
  <button type="submit" class="danger">Erase everything</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
