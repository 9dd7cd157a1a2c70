<?cs include:"macros.cs" ?><?cs set:Page.title = "Welcome to the community" ?>
<?cs def:content() ?>
<h1>Welcome to the community</h1>
<p class="lead">Thank you for confirming. We will write to you when a role fits what you are looking for.</p>
<p><a href="/preferences?t=<?cs var:url_escape(Page.t) ?>">Manage your preferences</a>: choose how often we write, pause our emails, or leave. Every email we send has the same link.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
