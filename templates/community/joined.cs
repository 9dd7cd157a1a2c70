<?cs include:"macros.cs" ?><?cs set:Page.title = "Thank you for joining" ?>
<?cs def:content() ?>
<h1>Thank you for joining</h1>
<p class="lead">You are in our talent community. We will write to you when a role fits what you are looking for.</p>
<p>Changed your mind? Every email we send has a link to leave at once.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
