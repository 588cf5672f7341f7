//%attributes = {"invisible":true}
// Installed by fourdbuild_build with ON ERR CALL while BUILD APPLICATION runs: keeps 4D's errors for the result
// file instead of showing them (4D runs headless).

var $error : Object

For each ($error; Last errors)
	fourdbuild_errors.push($error)
End for each
