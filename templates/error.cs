<?cs include:"macros.cs" ?><?cs set:Page.title = Error.reason ?>
<?cs def:content() ?>
<h1><?cs var:Error.reason ?></h1>
<p class="lead"><?cs var:Error.message ?></p>
<p><a href="/">Go to the home page</a></p>
<?cs /def ?><?cs include:"layout.cs" ?>
