<?cs include:"macros.cs" ?><?cs set:Page.title = "Merge undone" ?><?cs set:Page.area = "office" ?>
<?cs def:side(p) ?>
  <li><a href="/office/candidate?id=<?cs var:url_escape(p.id) ?>"><?cs if:p.name ?><?cs var:p.name ?><?cs else ?>Candidate<?cs /if ?> (#<?cs var:p.id ?>)</a><?cs if:p.email ?>, <?cs var:p.email ?><?cs /if ?></li><?cs /def ?>
<?cs def:content() ?>
<p><a href="/office/duplicates">Likely duplicates</a></p>
<h1>Merge undone</h1>
<p class="lead">These are two records again, each as it was before the merge:</p>
<ul><?cs call:side(Page.a) ?><?cs call:side(Page.b) ?>
</ul>
<?cs /def ?><?cs include:"layout.cs" ?>
