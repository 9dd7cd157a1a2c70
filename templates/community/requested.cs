<?cs include:"macros.cs" ?><?cs set:Page.title = "Check your email" ?>
<?cs def:content() ?>
<h1>Check your email</h1>
<p class="lead">If we hold details for that address, we have sent it a link to <?cs if:Page.kind == "erase" ?>erase them<?cs else ?>download them<?cs /if ?>. The link works for one day.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
