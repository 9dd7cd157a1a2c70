<?cs include:"macros.cs" ?><?cs include:"office/forms.cs" ?><?cs set:Page.title = "My account" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>My account</h1><?cs if:Page.done == "password" ?>
<div class="notice" role="status"><p>Your password has been changed. Any other place where you were signed in has been signed out.</p></div><?cs /if ?>
<dl class="facts">
  <dt>Email</dt><dd><?cs var:User.email ?></dd>
  <dt>Role</dt><dd><?cs call:role_label(User.role_name) ?></dd>
</dl>
<h2>Change your password</h2>
<?cs call:error_summary() ?>
<form method="post" action="/office/account/password" novalidate>
  <?cs call:csrf_field() ?><?cs
  call:password_field("current_password", "Current password", "current-password", "1", "") ?><?cs
  call:password_field("new_password", "New password", "new-password", "1", "At least 8 characters. A few unrelated words make a strong one.") ?><?cs
  call:password_field("new_password2", "New password again", "new-password", "1", "") ?>
  <button type="submit">Change password</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
