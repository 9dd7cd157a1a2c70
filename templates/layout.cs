<?cs # layout.cs: the page frame. A page sets Page.title, defines content()
     and includes this file. ?><!DOCTYPE html>
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
</header>
<main id="main">
<?cs call:content() ?>
</main>
<footer class="site"><p><a href="<?cs var:Site.PolicyURL ?>">Privacy policy</a></p></footer>
</body>
</html>
