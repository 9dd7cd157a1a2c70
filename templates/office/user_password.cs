<?cs include:"macros.cs" ?><?cs include:"office/forms.cs" ?><?cs set:Page.title = Page.user.email ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/users">All users</a></p>
<h1><?cs if:Page.what == "added" ?>User added<?cs else ?>Password reset<?cs /if ?></h1>
<dl class="facts">
  <dt>Email</dt><dd><a href="/office/user?id=<?cs var:url_escape(Page.user.id) ?>"><?cs var:Page.user.email ?></a></dd>
  <dt>Role</dt><dd><?cs call:role_label(Page.user.role) ?></dd>
</dl><?cs if:Page.password ?>
<div class="notice" role="status">
  <p>Their password is: <code class="secret" id="new-password"><?cs var:Page.password ?></code></p>
  <p>It is shown only this once: Hearth keeps only a hash of it. Give it to them in person or over a channel you trust, and ask them to change it under My account.</p>
</div><?cs else ?>
<div class="notice" role="status"><p>They sign in with the password you typed.</p></div><?cs /if ?><?cs
if:Page.what == "reset" ?>
<p>Wherever they were signed in, they have been signed out.</p><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
