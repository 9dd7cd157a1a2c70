<?cs include:"macros.cs" ?><?cs set:Page.title = "Home" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>Welcome</h1>
<p class="lead">There are no candidates for you to see yet.</p>
<p>As a hiring manager you will see the candidates of the roles you own. Roles are not in Hearth yet, so for now this page stays empty; the recruiting team can tell you about the people they have found.</p>
<p>You can change your password under <a href="/office/account">My account</a>.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
