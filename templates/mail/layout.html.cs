<?cs # layout.html.cs: the frame of every HTML mail. A mail defines
     content() and includes this file; every var: is HTML-escaped. ?><!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title><?cs var:Mail.subject ?></title></head>
<body style="margin:0;padding:0;background:#fbfaf8;color:#1d2430;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif">
<div style="max-width:36rem;margin:0 auto;padding:1rem">
<?cs call:content() ?>
<hr style="border:0;border-top:1px solid #d8dde4;margin:2rem 0 1rem">
<p style="color:#5a6473;font-size:14px"><?cs var:Site.Name ?> talent community ·
<a href="<?cs var:Mail.prefs_url ?>" style="color:#b4441c">Your preferences</a> ·
<a href="<?cs var:Mail.unsubscribe_url ?>" style="color:#b4441c">Unsubscribe</a></p>
</div>
</body>
</html>
