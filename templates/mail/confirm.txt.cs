Hello <?cs var:Mail.to_name ?>,

Thank you for joining <?cs var:Site.Name ?>'s talent community. Please confirm
your email address by opening this link:

<?cs var:Mail.link ?>

The link works for 7 days. Until you confirm, we will not send you anything
else. If you did not ask for this, ignore this email: nothing more happens.

If you had joined before, confirming also saves the details you just sent.
<?cs include:"mail/footer.txt.cs" ?>
