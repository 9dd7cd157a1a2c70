<?cs include:"macros.cs" ?><?cs set:Page.title = "Sign in" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>Sign in to the back office</h1>
<?cs call:error_summary() ?><?cs if:Form.login_error ?>
<div class="error-summary" role="alert"><p><?cs var:Form.login_error ?></p></div><?cs /if ?>
<form method="post" action="/office/login" novalidate>
  <?cs call:csrf_field() ?>
  <?cs call:text_field("email", "Email address", "email", "username", "254") ?>
  <div class="field<?cs if:Form.password.error ?> has-error<?cs /if ?>">
    <label for="password">Password</label>
    <input type="password"<?cs call:field_attrs("password") ?> autocomplete="current-password" required><?cs call:field_error("password") ?>
  </div>
  <button type="submit">Sign in</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
