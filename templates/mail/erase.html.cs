<?cs set:Mail.subject = "Confirm the erasure of your data" ?><?cs def:content() ?>
<p>Hello <?cs var:Mail.to_name ?>,</p>
<p>You asked us to erase the data we hold about you.</p>
<p><a href="<?cs var:Mail.link ?>" style="display:inline-block;background:#b00020;color:#fff;padding:.75rem 1.25rem;border-radius:4px;text-decoration:none;font-weight:600">Confirm the erasure</a></p>
<p>Or copy this address into your browser: <?cs var:Mail.link ?></p>
<p>Nothing is erased until you press the button on that page. The link works for one day. If you did not ask for this, ignore this email.</p>
<?cs /def ?><?cs include:"mail/layout.html.cs" ?>
