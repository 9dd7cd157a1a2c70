<?cs include:"macros.cs" ?><?cs include:"office/forms.cs" ?><?cs set:Page.title = Page.user.email ?><?cs set:Page.area = "office" ?>
<?cs def:id_input() ?><input type="hidden" name="id" value="<?cs var:Page.user.id ?>"><?cs /def ?>
<?cs def:content() ?>
<p><a href="/office/users">All users</a></p>
<h1><?cs var:Page.user.email ?><?cs if:Page.user.self ?> (you)<?cs /if ?></h1><?cs
if:Page.done == "role" ?>
<div class="notice" role="status"><p>The role has been changed. It applies from their next page.</p></div><?cs
elif:Page.done == "disabled" ?>
<div class="notice" role="status"><p>The account is disabled: they have been signed out and cannot sign in.</p></div><?cs
elif:Page.done == "active" ?>
<div class="notice" role="status"><p>The account is enabled again: they can sign in.</p></div><?cs /if ?>
<?cs call:error_summary() ?>
<dl class="facts">
  <dt>Name</dt><dd><?cs var:Page.user.name ?></dd>
  <dt>Role</dt><dd><?cs call:role_label(Page.user.role) ?></dd>
  <dt>Access</dt><dd><?cs if:Page.user.state == "disabled" ?>Disabled<?cs else ?>Active<?cs /if ?><?cs if:Page.user.locked_until ?>; signing in is locked until <?cs var:Page.user.locked_until ?> after wrong passwords (a password reset lifts it)<?cs /if ?></dd>
  <dt>Added</dt><dd><?cs var:Page.user.created ?></dd>
  <dt>Last sign-in</dt><dd><?cs if:Page.user.last_login ?><?cs var:Page.user.last_login ?><?cs else ?>Never<?cs /if ?></dd>
</dl>

<h2>Role</h2>
<form method="post" action="/office/user/role" novalidate>
  <?cs call:csrf_field() ?><?cs call:id_input() ?>
  <div class="field<?cs if:Form.role.error ?> has-error<?cs /if ?>">
    <label for="role">Role</label>
    <select<?cs call:input_attrs("role", "") ?> required><?cs call:role_options("role", Page.user.role) ?>
    </select><?cs call:field_error("role") ?>
  </div>
  <button type="submit">Change the role</button>
</form>

<h2>Password</h2><?cs if:Page.user.self ?>
<p>To change your own password, go to <a href="/office/account">My account</a>.</p><?cs else ?>
<p>A new password signs them out wherever they are signed in.</p>
<form method="post" action="/office/user/reset" novalidate>
  <?cs call:csrf_field() ?><?cs call:id_input() ?><?cs
  call:password_field("password", "New password", "new-password", "", "Leave it empty and Hearth makes one, shown to you once.") ?>
  <button type="submit" class="secondary">Reset the password</button>
</form><?cs /if ?>

<h2>Access</h2>
<form method="post" action="/office/user/state" novalidate>
  <?cs call:csrf_field() ?><?cs call:id_input() ?><?cs
  if:Page.user.state == "disabled" ?>
  <p>This account is disabled.</p>
  <button type="submit" name="state" value="active" class="secondary">Enable the account</button><?cs
  else ?>
  <p>A disabled account cannot sign in, and is signed out at once<?cs if:Page.user.self ?> (you too)<?cs /if ?>. Its history stays.</p>
  <button type="submit" name="state" value="disabled" class="danger">Disable the account</button><?cs /if ?><?cs call:field_error("state") ?>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
