<?cs include:"macros.cs" ?><?cs include:"office/role_macros.cs" ?><?cs set:Page.title = "Home" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>Your roles</h1><?cs
if:Page.total == 0 ?>
<p class="lead">You are not a hiring manager for any role yet.</p>
<p>When the recruiting team adds you to a role, it shows here, with the people in its pipeline. You can change your password under <a href="/office/account">My account</a>.</p><?cs
else ?>
<p class="lead">The roles you are a hiring manager for. Open one to see its pipeline and to comment on it.</p><?cs
  call:role_table("") ?><?cs
  if:Page.pages > 1 ?>
<p><a href="/office/roles?page=2">More of your roles</a></p><?cs /if ?><?cs
/if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
