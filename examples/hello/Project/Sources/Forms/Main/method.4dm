If (Form event code=On Load)
	Form.greeting:=""
End if
