<?cs include:"macros.cs" ?><?cs include:"office/forms.cs" ?><?cs set:Page.title = "Users" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>Users</h1>
<p><a href="/office/users/add">Add a user</a></p>
<div class="table-wrap">
<table class="users">
  <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Access</th><th scope="col">Last sign-in</th></tr></thead>
  <tbody><?cs each:u = Page.users ?>
    <tr><td><a href="/office/user?id=<?cs var:url_escape(u.id) ?>"><?cs var:u.email ?></a><?cs if:u.self ?> (you)<?cs /if ?></td><td><?cs var:u.name ?></td><td><?cs call:role_label(u.role) ?></td><td><?cs if:u.state == "disabled" ?>Disabled<?cs elif:u.locked_until ?>Locked until <?cs var:u.locked_until ?><?cs else ?>Active<?cs /if ?></td><td><?cs if:u.last_login ?><time datetime="<?cs var:u.last_login_iso ?>"><?cs var:u.last_login ?></time><?cs else ?>Never<?cs /if ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div>
<?cs /def ?><?cs include:"layout.cs" ?>
