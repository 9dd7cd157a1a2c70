<?cs # layout.cs: the page frame. A page sets Page.title, defines content()
     and includes this file. Signed-in users get the back office's links
     that their role may open (the route table's role masks). ?><?cs
def:nav_link(path, label) ?><li><a href="<?cs var:path ?>"<?cs if:Request.path == path ?> aria-current="page"<?cs /if ?>><?cs var:label ?></a></li><?cs /def ?><!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs var:Page.title ?> · <?cs var:Site.Name ?></title><?cs
if:Page.refresh ?>
<meta http-equiv="refresh" content="<?cs var:Page.refresh ?>"><?cs /if ?>
<link rel="stylesheet" href="/static/hearth.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <a class="brand" href="<?cs if:Page.area == "office" ?>/office/<?cs else ?>/<?cs /if ?>"><?cs var:Site.Name ?></a><?cs
  if:User.email ?>
  <form class="signout" method="post" action="/office/logout"><?cs call:csrf_field() ?>
    <span class="who"><?cs var:User.email ?></span>
    <button type="submit" class="link">Sign out</button>
  </form><?cs /if ?>
</header><?cs
if:User.email ?>
<nav class="office" aria-label="Back office"><ul><?cs
  if:User.role_name == "hiring_manager" ?><?cs call:nav_link("/office/", "Your roles") ?><?cs
  else ?><?cs call:nav_link("/office/candidates", "Candidates") ?><?cs call:nav_link("/office/roles", "Roles") ?><?cs call:nav_link("/office/pools", "Pools") ?><?cs
  call:nav_link("/office/campaigns", "Campaigns") ?><?cs call:nav_link("/office/duplicates", "Duplicates") ?><?cs call:nav_link("/office/mail", "Mail") ?><?cs call:nav_link("/office/import", "Import") ?><?cs call:nav_link("/office/jobs", "Jobs") ?><?cs /if ?><?cs
  if:User.role_name != "hiring_manager" ?><li><a href="/office/notices"<?cs if:Request.path == "/office/notices" ?> aria-current="page"<?cs /if ?>>Notices<?cs if:User.notices > 0 ?> <span class="count">(<?cs var:User.notices ?><span class="visually-hidden"> unread</span>)</span><?cs /if ?></a></li><?cs /if ?><?cs
  if:User.role_name == "admin" ?><?cs call:nav_link("/office/users", "Users") ?><?cs call:nav_link("/office/audit", "Audit log") ?><?cs /if ?><?cs
  call:nav_link("/office/account", "My account") ?></ul></nav><?cs /if ?>
<main id="main">
<?cs call:content() ?>
</main>
<footer class="site"><p><a href="<?cs var:Site.PolicyURL ?>">Privacy policy</a></p></footer>
</body>
</html>
