<?cs set:Mail.subject = "Please confirm your email" ?><?cs def:content() ?>
<p>Hello <?cs var:Mail.to_name ?>,</p>
<p>Thank you for joining <?cs var:Site.Name ?>'s talent community. Please confirm your email address:</p>
<p><a href="<?cs var:Mail.link ?>" style="display:inline-block;background:#b4441c;color:#fff;padding:.75rem 1.25rem;border-radius:4px;text-decoration:none;font-weight:600">Confirm my email</a></p>
<p>Or copy this address into your browser: <?cs var:Mail.link ?></p>
<p>The link works for 7 days. Until you confirm, we will not send you anything else. If you did not ask for this, ignore this email: nothing more happens.</p>
<p>If you had joined before, confirming also saves the details you just sent.</p>
<?cs /def ?><?cs include:"mail/layout.html.cs" ?>
